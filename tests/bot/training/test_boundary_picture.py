import pytest

from bot.training import boundary_picture as render
from bot.training.run import load_model
from tests.bot.training.png_check import picture
from tests.support.tables import COLOURS, GENDER, PRICES, XOR, as_table, train


def draw(table, outcome, lang):
    model = load_model(outcome.model_bytes)
    return render.boundary_picture(model, as_table(table), outcome.encoding, lang)


@pytest.mark.parametrize(("table", "text"), [(XOR, "val=0.25"), (COLOURS, ""), (GENDER, "")])
def test_boundary_picture_for_two_inputs(table, text):
    picture(draw(table, train(table, text), "en"))


def test_boundary_explains_why_not_for_other_tables():
    outcome = train(PRICES, "epochs=200")
    with pytest.raises(render.BoundaryUnavailable) as error:
        draw(PRICES, outcome, "en")
    assert error.value.key == "train.boundary.not_two" and error.value.values == {"count": 1}
    two_in = {
        **PRICES,
        "inputs": ["a", "b"],
        "X": [[x[0], 1.0] for x in PRICES["X"]],
        "questions": [],
    }
    outcome = train(two_in, "epochs=50")
    picture(draw(two_in, outcome, "ru"))
