import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path

import nncore as nn
from bot.training import network_picture as render
from bot.training.run import build_model, load_model
from bot.training.settings import default_settings, parse_settings
from tests.bot.training.png_check import picture
from tests.support.tables import COLOURS, LIMITS, PRICES, XOR, as_table, train


@pytest.mark.parametrize(
    ("table", "text"), [(XOR, "val=0.25"), (COLOURS, ""), (PRICES, "epochs=200")]
)
def test_network_picture(table, text):
    outcome = train(table, text)
    model = load_model(outcome.model_bytes)
    picture(render.network_picture(model, "ru", table["inputs"], table["targets"]))


def test_network_picture_of_a_wide_network_stays_readable():
    wide = {**XOR, "inputs": [f"x{i}" for i in range(30)], "X": [[0.0] * 30] * 4}
    settings = parse_settings("hidden=64,32", default_settings("binary"), LIMITS)
    model = build_model(as_table(wide), settings)
    picture(render.network_picture(model, "en"))


def test_the_picture_reads_the_layers_of_the_model():
    model = nn.Sequential([nn.Dense(2, 3, rng=1), nn.Tanh(), nn.Dense(3, 1, rng=2), nn.Sigmoid()])
    layers = render.dense_layers(model)
    assert [layer.W.shape for layer in layers] == [(2, 3), (3, 1)]
    assert [layer.activation for layer in layers] == ["tanh", "sigmoid"]
    with pytest.raises(ValueError):
        render.dense_layers(nn.Sequential([nn.Sigmoid()]))


def _drawn(shape):
    """The Russian /net figure of a sigmoid network of `shape`, drawn on its canvas."""
    layers = []
    for k, (a, b) in enumerate(itertools.pairwise(shape)):
        layers += [nn.Dense(a, b, rng=k + 1), nn.Sigmoid()]
    figure = render.network_figure(nn.Sequential(layers), "ru")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return figure, canvas


@pytest.mark.parametrize("shape", [(2, 4, 1), (3, 2, 1), (2, 2, 2), (4, 2, 3)])
def test_weight_labels_of_small_networks_do_not_cover_each_other(shape):
    figure, canvas = _drawn(shape)
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
    assert render.compact(0.0) == "0" and render.compact(-0.0) == "0"
    assert render.compact(0.0001) == "≈0" and render.compact(-0.004) == "-0.004"


def test_a_wide_network_is_drawn_as_heatmaps_with_named_layers():
    wide = [nn.Dense(7, 12, rng=1), nn.Tanh(), nn.Dense(12, 10, rng=2), nn.Softmax()]
    model = nn.Sequential(wide)
    figure = render.network_figure(model, "ru", list("abcdefg"), [str(d) for d in range(10)])
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    hidden = "скрытый слой 1 (гиперболический тангенс, 12 нейронов)"
    assert titles[0] == f"входной слой (7 входов) → {hidden}"
    assert titles[1].endswith("выходной слой (софтмакс, 10 нейронов)")
    assert render.network_caption_key(model) == "train.net.heatmap_caption"
    narrow = [nn.Dense(2, 2, rng=1), nn.Sigmoid(), nn.Dense(2, 1, rng=2), nn.Sigmoid()]
    small = nn.Sequential(narrow)
    assert render.network_caption_key(small) == "train.net.caption"
    texts = [text.get_text() for ax in render.network_figure(small, "en").axes for text in ax.texts]
    assert "hidden layer 1\n(sigmoid, 2 neurons)" in texts
    assert "output layer\n(sigmoid, 1 neuron)" in texts


def test_weight_labels_take_their_lines_colour():
    model = nn.Sequential([nn.Dense(2, 1, init=np.array([[1.5], [-0.5]]))])
    axes = render.network_figure(model, "en").axes
    labels = [text for ax in axes for text in ax.texts if text.get_gid() == "weight"]
    colours = {label.get_text(): label.get_color() for label in labels}
    assert colours == {"1.5": render.POSITIVE, "-0.5": render.NEGATIVE}


def _distance(point, ends):
    """Pixels from `point` to the segment `ends`."""
    a, b = ends
    k = np.clip(np.dot(point - a, b - a) / np.dot(b - a, b - a), 0.0, 1.0)
    return float(np.hypot(*(a + k * (b - a) - point)))


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 4, 1), (3, 4, 2), (2, 8, 1)])
def test_every_weight_label_sits_on_its_own_line_and_touches_no_other(shape):
    """Measured on the drawn figure: each label's white box (as drawn, turned or not) is crossed
    by its own line and by no other, and its centre is on its line, far from every other."""
    figure, _ = _drawn(shape)
    ax = figure.axes[0]
    lines = {line.get_label(): ax.transData.transform(line.get_xydata()) for line in ax.lines}
    labels = [text for text in ax.texts if text.get_gid() == "weight"]
    assert len(labels) == sum(a * b for a, b in itertools.pairwise(shape))  # every weight
    for label in labels:
        patch = label.get_bbox_patch()
        box = patch.get_transform().transform_path(patch.get_path())
        centre = (box.vertices.min(axis=0) + box.vertices.max(axis=0)) / 2
        own = lines[label.get_label()]
        assert Path(own).intersects_path(box, filled=True), label.get_text()
        assert _distance(centre, own) < 4  # pixels: on the line, up to the text's own rounding
        half_height = label.get_fontsize() * figure.dpi / 72 / 2  # half a line of its text
        for name, other in lines.items():
            if name == label.get_label():
                continue
            assert not Path(other).intersects_path(box, filled=True), (label.get_text(), name)
            assert _distance(centre, other) > half_height, (label.get_text(), name)
