"""/explain's text against nncore's own numbers, and against the textbook figures."""

import numpy as np
import pytest

import nncore as nn
from bot.config import Limits
from bot.store import ChatState
from bot.tables.examples import EXAMPLES, suggested_settings
from bot.tables.parse import parse_table
from bot.tables.table import Table
from bot.training.arithmetic import shown
from bot.training.explain import (
    CannotExplain,
    Context,
    RowChoice,
    explain_messages,
    explain_row,
    pick_row,
    sub,
)
from bot.training.run import load_model, run_training
from bot.training.settings import (
    TrainSettings,
    default_settings,
    parse_settings,
    settings_for,
)

LIMITS = Limits()


def example_state(key: str, **settings_text) -> tuple[ChatState, object]:
    table = parse_table(EXAMPLES[key].text, LIMITS)
    state = ChatState(chat_id=1, table=table.to_dict())
    state.settings = suggested_settings(key, table, LIMITS)
    if settings_text:
        current = TrainSettings.from_dict(state.settings)
        text = " ".join(f"{k}={v}" for k, v in settings_text.items())
        state.settings = parse_settings(text, current, LIMITS).to_dict()
    return state, table


def train_state(state: ChatState):
    table = Table.from_dict(state.table)
    settings = settings_for(table, state.settings)
    return run_training(table, settings, lambda _: None, lambda: False)


def gender_text(lang: str = "en") -> str:
    state, table = example_state("gender")
    return "\n".join(explain_row(state, table, RowChoice(0, "Alice"), lang))


def article_trace():
    model = nn.Sequential(
        [nn.Dense(2, 2, init="ones"), nn.Sigmoid(), nn.Dense(2, 1, init="ones"), nn.Sigmoid()]
    )
    return nn.explain(model, nn.MSE(), np.array([-2.0, -1.0]), np.array([1.0]), lr=0.1, digits=3)


def test_gender_textbook_start_shows_the_articles_figures():
    text = gender_text()
    # The article's numbers, typed in from the article (independent of nncore):
    assert "σ(−3) = 0.0474" in text  # h1 = h2
    assert "= 0.524" in text  # ŷ
    assert "∂L/∂w₁ = ∂L/∂ŷ · ∂ŷ/∂h₁ · ∂h₁/∂w₁" in text
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text
    after_w1 = text.split("∂L/∂w₁ =", 1)[1]
    exact_w1 = float(after_w1.split("(exactly ", 1)[1].split(")", 1)[0])
    assert exact_w1 == pytest.approx(0.02147, abs=1e-6)  # the article's exact product
    assert f"w₁ ← 1 − 0.1·{exact_w1:g}" in text
    assert "Alice" in text
    assert "As in the article" in text
    assert "random weights" in text  # and training starts like the article's code


def test_gender_text_matches_nncores_trace_number_by_number():
    text = gender_text()
    trace = article_trace()
    assert f"= {shown(trace.prediction[0])}" in text
    assert f"= {shown(trace.loss)}" in text
    for param in trace.params:
        factors = " · ".join(
            f"({shown(f.value)})" if f.value < 0 else shown(f.value) for f in param.factors
        )
        assert f"{factors} = {shown(param.product)}" in text
        assert f"exactly {shown(param.grad, 6)}" in text
        assert f"= {shown(param.new_value, 6)}" in text
    for neuron in trace.neurons:
        assert f"σ({shown(neuron.z)}) = {shown(neuron.a)}" in text


def test_the_loss_slope_is_shown_as_the_factors_use_it():
    text = gender_text()
    assert "∂L/∂ŷ = 2(ŷ − y) = 2(0.524 − 1) = −0.952   (exactly −0.95261" in text


def test_russian_explanation():
    text = gender_text("ru")
    assert "Прямой проход" in text
    assert "(−0.952) · 0.249 · (−0.0904) = 0.0214" in text


def test_messages_fit_telegram_and_pre_blocks_are_closed():
    state, table = example_state("gender")
    messages = explain_row(state, table, RowChoice(0, "Alice"), "en")
    for message in messages:
        assert len(message) <= 4096
        assert message.count("<pre>") == message.count("</pre>")


def test_a_large_network_gets_a_summary_and_the_largest_gradients():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 63))
    rows = "\n".join(" ".join(f"{v:.3f}" for v in x) + f" c{i % 10}" for i, x in enumerate(X))
    table = parse_table(rows, LIMITS)
    state = ChatState(chat_id=1, table=table.to_dict())
    state.settings = parse_settings(
        "hidden=256,64", default_settings("multiclass"), LIMITS
    ).to_dict()
    messages = explain_row(state, table, RowChoice(3), "en")
    assert 1 <= len(messages) <= 5
    assert all(len(m) <= 4096 for m in messages)
    text = "\n".join(messages)
    assert "with the largest gradients" in text
    assert "layer 1: 256 neurons" in text
    assert "Σ wᵢ·inᵢ" in text


def test_a_single_neuron_on_xor_says_a_straight_line_gets_75_percent():
    state, table = example_state("xor", hidden="none")
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "75%" in text
    assert "/settings preset=default hidden=8 epochs=2000" in text


def test_a_network_that_does_not_fit_the_table_cannot_be_explained():
    state, table = example_state("xor")
    state.model = b"not a model"
    with pytest.raises(CannotExplain):
        explain_row(state, table, RowChoice(0), "en")
    other, _ = example_state("colours")
    outcome = train_state(other)
    state.model = outcome.model_bytes  # 2 inputs but 3 outputs: made for another table
    with pytest.raises(CannotExplain):
        explain_row(state, table, RowChoice(0), "en")


def test_no_separability_warning_where_a_line_suffices():
    state, table = example_state("and")
    text = "\n".join(explain_row(state, table, RowChoice(3), "en"))
    assert "⚠️" not in text


def test_a_trained_network_is_explained_with_its_own_weights():
    state, table = example_state("xor", epochs=3)
    outcome = train_state(state)
    state.model = outcome.model_bytes
    state.encoding = outcome.encoding
    text = "\n".join(explain_row(state, table, RowChoice(1), "en"))
    assert "weights of your trained network" in text
    model = load_model(state.model)
    first = model.layers[0].params["W"][0, 0]
    assert shown(float(first)) in text


def test_multiclass_softmax_is_explained_at_the_weighted_sum():
    state, table = example_state("colours")
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "softmax" in text
    assert "∂L/∂z" in text
    assert "L = −ln p" in text


def test_standardised_inputs_are_mentioned():
    table = parse_table("100 200 1\n300 100 0\n200 250 1\n50 20 0", LIMITS)
    state = ChatState(chat_id=1, table=table.to_dict())
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "standardised" in text


def test_other_optimizers_are_told_the_shown_step_is_plain_sgd():
    state, table = example_state("xor")
    text = "\n".join(explain_row(state, table, RowChoice(0), "en"))
    assert "adam" in text


def test_explain_messages_without_context():
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    messages = explain_messages(article_trace(), table, "en", Context())
    assert "0.0214" in "\n".join(messages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), ("1", 0), ("4", 3), ("bob", 1), ("Diana", 3), ("5", None), ("0", None), ("x", None)],
)
def test_pick_row(text, expected):
    table = parse_table(EXAMPLES["gender"].text, LIMITS)
    choice = pick_row(table, text)
    assert (choice.index if choice else None) == expected


def test_subscripts_and_numbers():
    assert sub("∂h1/∂w12") == "∂h₁/∂w₁₂"
    assert sub("ŷ") == "ŷ"
    assert sub("z_o1") == "zo₁"
    assert shown(-0.090353) == "−0.0904"
    assert shown(1.0) == "1"
    assert shown(0.021470, 6) == "0.02147"


def test_the_outro_suggests_the_next_row():
    state, table = example_state("gender")
    assert "/explain 3</code>" in explain_row(state, table, RowChoice(1), "en")[-1]
    assert "/explain 1</code>" in explain_row(state, table, RowChoice(3), "ru")[-1]
