"""The two classic articles, as the learner meets them in the bot: numbers typed in from the
articles (Milo Spencer-Harper's single neuron, Victor Zhou's 2-2-1 network), not from nncore."""

import re

import numpy as np

from bot.store import ChatState
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.training.explain import RowChoice, explain_row
from bot.training.run import build_model, load_model, run_training
from bot.training.settings import TrainSettings, parameter_count, parse_settings
from bot.training.views import predict_text, summary_text
from tests.support.tables import LIMITS

ARTICLE_START = [-0.16595599, 0.44064899, -0.99977125]  # np.random.seed(1); 2*random((3,1))-1


def example(key: str, *typed: str):
    table = parse_table(EXAMPLES[key].text, LIMITS)
    settings = TrainSettings.from_dict(suggested_settings(key, table, LIMITS))
    for text in typed:
        settings = parse_settings(text, settings, LIMITS)
    return table, settings


def trained_state(table, settings):
    outcome = run_training(table, settings, lambda _: None, lambda: False)
    state = ChatState(chat_id=1, table=table.to_dict(), settings=settings.to_dict())
    state.model, state.encoding = outcome.model_bytes, outcome.encoding
    return state, outcome


def test_the_single_neuron_starts_where_the_article_starts_without_a_bias():
    table, settings = example("neuron")
    model = build_model(table, settings)
    assert settings.bias is False and parameter_count(table, settings) == 3
    assert "b" not in model.layers[0].params
    np.testing.assert_allclose(model.layers[0].params["W"][:, 0], ARTICLE_START, atol=5e-9)


def test_the_single_neuron_answers_the_articles_0_99993704():
    table, settings = example("neuron")
    state, outcome = trained_state(table, settings)
    answer = outcome.evaluation["questions"][0]
    assert f"{answer['value']:.8f}" == "0.99993704"
    assert "<b>1</b> (ŷ = 0.99993704; sure at > 99.9%)" in summary_text(
        table, settings, outcome.evaluation, "en"
    )
    assert "ŷ = 0.99993704" in predict_text(state, [[1, 0, 0]], "ru")


def test_bias_is_a_setting():
    table, settings = example("neuron")
    with_bias = parse_settings("bias=on", settings, LIMITS)
    assert with_bias.bias is True and parameter_count(table, with_bias) == 4
    assert parse_settings("смещение=нет", with_bias, LIMITS).bias is False


def test_explain_shows_the_articles_update_with_the_first_iterations_numbers():
    table, settings = example("neuron")
    state = ChatState(chat_id=1, table=table.to_dict(), settings=settings.to_dict())
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "Δw = Xᵀ·(error · σ′(output))" in text
    # The article's loop once by hand: output = σ(X·w); w += Xᵀ·((y − output)·output·(1 − output))
    X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0], dtype=float)
    w = np.array(ARTICLE_START)
    output = 1 / (1 + np.exp(-(X @ w)))
    after = w + X.T @ ((y - output) * output * (1 - output))
    for i, value in enumerate(after):
        shown = re.search(rf"w{'₁₂₃'[i]} ← \S+ \+ \S+ = ([−\d.e]+)", text).group(1)
        assert float(shown.replace("−", "-")) == np.float64(f"{value:.6g}")


def test_the_article_preset_explains_all_ones_but_trains_from_random_weights():
    table, settings = example("gender")
    state = ChatState(chat_id=1, table=table.to_dict(), settings=settings.to_dict())
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text  # the article's page
    state, outcome = trained_state(table, settings)
    hidden = load_model(state.model).layers[0].params
    assert not np.allclose(hidden["W"][:, 0], hidden["W"][:, 1])  # two different neurons
    assert outcome.evaluation["accuracy"] == 1.0
    emily, frank = outcome.evaluation["questions"]
    assert (emily["text"], frank["text"]) == ("1", "0")  # as the article finds


def test_a_symmetric_start_with_a_hidden_layer_is_explained_after_training():
    table, settings = example("xor", "hidden=8 init=textbook")
    _, outcome = trained_state(table, settings)
    text = summary_text(table, settings, outcome.evaluation, "ru")
    assert "близнецами" in text and "init=auto" in text
    hidden = load_model(trained_state(table, settings)[0].model).layers[0].params["W"]
    assert np.allclose(hidden, hidden[:, :1])  # the twins the text speaks of
    table, settings = example("xor")
    assert "близнец" not in summary_text(
        table, settings, trained_state(table, settings)[1].evaluation, "ru"
    )


def test_a_coin_toss_answer_is_called_unsure():
    table, settings = example("xor", "hidden=none")
    _, outcome = trained_state(table, settings)
    text = summary_text(table, settings, outcome.evaluation, "en")
    assert "→ <b>unsure</b>" in text and "❔" in text
    assert "не уверена" in summary_text(table, settings, outcome.evaluation, "ru")
