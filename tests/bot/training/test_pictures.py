import io
import itertools

import pytest
from PIL import Image

from bot.training import pictures as render
from bot.training import run as training
from tests.support.tables import COLOURS, GENDER, PRICES, XOR, train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def picture(data):
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.verify()
    width, height = Image.open(io.BytesIO(data)).size
    assert 500 <= width <= 2000 and 400 <= height <= 2000  # phone-readable, not huge
    assert len(data) < 1_000_000
    return width, height


@pytest.fixture(scope="module")
def trained():
    result = {}
    for name, table, text in (
        ("xor", XOR, "val=0.25"),
        ("colours", COLOURS, ""),
        ("prices", PRICES, "epochs=200"),
        ("gender", GENDER, ""),
    ):
        outcome = train(table, text)
        result[name] = (table, outcome, {"encoding": outcome.encoding})
    return result


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_loss_plot_is_a_png_with_validation_and_log_scale(trained, lang):
    _, outcome, _ = trained["xor"]
    assert outcome.history_dict["val_loss"]
    picture(render.loss_plot(outcome.history_dict, lang))


def test_loss_plot_of_a_single_epoch_and_a_long_run():
    picture(render.loss_plot({"loss": [0.5]}, "en"))
    picture(render.loss_plot({"loss": [1 / (i + 1) for i in range(50_000)]}, "en"))
    with pytest.raises(ValueError):
        render.loss_plot({"loss": []}, "en")


def test_log_scale_only_when_the_loss_spans_decades():
    assert render.uses_log_scale([1.0, 0.001])
    assert not render.uses_log_scale([1.0, 0.5])
    assert not render.uses_log_scale([1.0, 0.0])


@pytest.mark.parametrize("name", ["xor", "colours", "prices"])
def test_network_picture(trained, name):
    table, outcome, _ = trained[name]
    model = training.load_model(outcome.model_bytes)
    picture(render.network_picture(model.to_dict(), "ru", table["inputs"], table["targets"]))


def test_network_picture_of_a_wide_network_stays_readable():
    wide = {**XOR, "inputs": [f"x{i}" for i in range(30)], "X": [[0.0] * 30] * 4}
    settings = training.parse_settings(
        "hidden=64,32", training.default_settings("binary"), training_limits()
    )
    model = training.build_model(wide, settings)
    picture(render.network_picture(model.to_dict(), "en"))


def training_limits():
    from bot.config import Limits

    return Limits()


@pytest.mark.parametrize("name", ["xor", "colours", "gender"])
def test_boundary_picture_for_two_inputs(trained, name):
    table, outcome, settings = trained[name]
    picture(render.boundary_picture(outcome.model_bytes, table, settings, "en"))


def test_boundary_explains_why_not_for_other_tables(trained):
    table, outcome, settings = trained["prices"]
    with pytest.raises(render.BoundaryUnavailable) as error:
        render.boundary_picture(outcome.model_bytes, table, settings, "en")
    assert error.value.key == "train.boundary.not_two" and error.value.values == {"count": 1}
    two_in = {
        **PRICES,
        "inputs": ["a", "b"],
        "X": [[x[0], 1.0] for x in PRICES["X"]],
        "questions": [],
    }
    outcome = train(two_in, "epochs=50")
    picture(
        render.boundary_picture(outcome.model_bytes, two_in, {"encoding": outcome.encoding}, "ru")
    )


@pytest.mark.parametrize("shape", [(2, 4, 1), (3, 2, 1), (2, 2, 2), (4, 2, 3)])
def test_weight_labels_of_small_networks_do_not_cover_each_other(shape):
    import nncore as nn

    layers = []
    for k, (a, b) in enumerate(itertools.pairwise(shape)):
        layers += [nn.Dense(a, b, rng=k + 1), nn.Sigmoid()]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = render.network_figure(nn.Sequential(layers).to_dict(), "ru")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [
        text.get_window_extent(renderer)
        for text in figure.axes[0].texts
        if text.get_gid() == "weight"
    ]
    assert len(boxes) == sum(a * b for a, b in itertools.pairwise(shape))
    for one, other in itertools.combinations(boxes, 2):
        assert not one.overlaps(other), (one, other)


def test_a_zero_weight_or_bias_is_written_as_0():
    assert render._compact(0.0) == "0" and render._compact(-0.0) == "0"
    assert render._compact(0.0001) == "≈0" and render._compact(-0.004) == "-0.004"
