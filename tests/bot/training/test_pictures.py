import pytest

from bot.training import pictures as render
from tests.bot.training.png_check import picture
from tests.support.tables import XOR, train


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_loss_plot_is_a_png_with_validation_and_log_scale(lang):
    outcome = train(XOR, "val=0.25")
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
