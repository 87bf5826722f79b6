"""/compare: parsed with the /settings parser, each variant trained as /train would (same
seed, same numbers), JSON in and out, and a verdict that names the right variants."""

import json
from dataclasses import replace

import pytest

from bot.config import Limits
from bot.inside.compare import (
    CompareError,
    compare_payload,
    parse_compare,
    run_compare_job,
)
from bot.inside.compare_views import compare_picture, details_text, verdict, winner
from bot.tables.parse import parse_table
from bot.training import wire
from bot.training.job import run_job
from bot.training.run import run_training
from bot.training.settings import SettingsError, parse_settings, settings_for
from tests.bot.training.png_check import picture

XOR = parse_table("x1 x2 | y\n0 0 | 0\n0 1 | 1\n1 0 | 1\n1 1 | 0", Limits())
BASE = replace(settings_for(XOR, None), epochs=60)


def run(payload):
    return run_compare_job(payload, lambda _: None, lambda: False)


def test_each_value_changes_only_its_setting_and_every_variant_has_the_seed():
    key, variants = parse_compare("lr = 0.01, 0.1 ,1", BASE, XOR, Limits())
    assert key == "lr"
    assert [v.settings.lr for v in variants] == [0.01, 0.1, 1.0]
    assert [v.label for v in variants] == ["lr=0.01", "lr=0.1", "lr=1"]
    assert {replace(v.settings, lr=0.05, custom=frozenset()) for v in variants} == {
        replace(BASE, custom=frozenset())
    }
    _, hidden = parse_compare("hidden=none,2,8x4", BASE, XOR, Limits())
    assert [v.settings.hidden for v in hidden] == [(), (2,), (8, 4)]


def test_a_random_seed_becomes_one_seed_shared_by_every_variant():
    _, variants = parse_compare("optimizer=sgd,adam", replace(BASE, seed=None), XOR, Limits())
    seeds = {v.settings.seed for v in variants}
    assert len(seeds) == 1 and None not in seeds


def test_a_bad_value_gets_the_settings_message_and_too_many_the_range():
    with pytest.raises(SettingsError) as ours:
        parse_compare("lr=0.1,abc", BASE, XOR, Limits())
    with pytest.raises(SettingsError) as theirs:
        parse_settings("lr=abc", BASE, Limits())
    assert (ours.value.key, ours.value.values) == (theirs.value.key, theirs.value.values)
    with pytest.raises(CompareError) as many:
        parse_compare("lr=1,2,3,4,5,6", BASE, XOR, Limits())
    assert many.value.values == {"count": 6, "low": 2, "high": 5}
    for line in ("", "lr=0.1", "epochs=10,20", "bogus=1,2", "lr=0.1,1 hidden=2"):
        with pytest.raises(CompareError):
            parse_compare(line, BASE, XOR, Limits())


def test_the_host_limits_hold_for_every_variant():
    limits = replace(Limits(), max_parameters=30)
    with pytest.raises(SettingsError) as raised:
        parse_compare("hidden=2,16", BASE, XOR, limits)
    assert raised.value.key == "limit_parameters"


def test_every_variant_ends_exactly_where_train_ends_with_that_setting():
    _, variants = parse_compare("lr=0.01,0.1,1", BASE, XOR, Limits())
    result = run(compare_payload(XOR, variants, "en"))
    assert [v["label"] for v in result["variants"]] == ["lr=0.01", "lr=0.1", "lr=1"]
    for variant, found in zip(variants, result["variants"], strict=True):
        alone = run_training(XOR, variant.settings, lambda _: None, lambda: False)
        assert found["final_loss"] == alone.evaluation["loss"]
        assert found["loss"] == alone.history_dict["loss"]
        assert found["epochs_run"] == 60
    best = min(result["variants"], key=lambda v: v["final_loss"])
    assert winner(result) is best


def test_payload_and_outcome_are_plain_json_through_the_queue_wire():
    _, variants = parse_compare("activation=tanh,relu", BASE, XOR, Limits())
    payload = compare_payload(XOR, variants, "ru")
    sent = json.loads(json.dumps(wire.payload_to_wire(payload), allow_nan=False))
    returned = wire.run_wire_job(sent, lambda _: None, lambda: False)
    back = wire.outcome_from_wire(json.loads(json.dumps(returned, allow_nan=False)))
    assert back == run_job(payload, lambda _: None, lambda: False)
    assert back["kind"] == "compare" and len(back["variants"]) == 2


def test_a_stop_ends_the_comparison_and_says_how_far_it_got():
    _, variants = parse_compare("lr=0.01,0.1", replace(BASE, epochs=100_000), XOR, Limits())
    asked = []

    def stop_soon() -> bool:  # no at the start, yes once the first variant is training
        asked.append(1)
        return len(asked) > 3

    result = run_compare_job(compare_payload(XOR, variants, "en"), lambda _: None, stop_soon)
    assert result["stopped"] and len(result["variants"]) == 1
    assert result["variants"][0]["reason"] == "stopped"
    epochs = result["variants"][0]["epochs_run"]
    text = details_text(result, 4, "en")
    assert f"(stopped at epoch {epochs} of 100000)" in text and "time limit" not in text
    assert "Stopped before every variant had finished." in text


def test_a_diverged_variant_never_wins_and_is_named():
    big = parse_table("x y\n1 100\n2 200\n3 300\n4 400", Limits())
    base = replace(settings_for(big, None), epochs=200, optimizer="sgd", scale="none", batch_size=0)
    _, variants = parse_compare("lr=0.0001,10", base, big, Limits())
    result = run(compare_payload(big, variants, "en"))
    by_label = {v["label"]: v for v in result["variants"]}
    assert by_label["lr=10"]["reason"] == "diverged"
    assert winner(result)["label"] == "lr=0.0001"
    line = verdict(result, "en")
    assert "lr=0.0001" in line and "Diverged: lr=10." in line
    assert "обучение разошлось" in details_text(result, 4, "ru").lower()
    assert "/settings lr=0.0001" in details_text(result, 4, "en")
    picture(compare_picture(result, "ru"))


def test_a_textbook_start_among_the_variants_gets_the_symmetry_warning():
    _, variants = parse_compare("init=auto,textbook", replace(BASE, epochs=5), XOR, Limits())
    result = run(compare_payload(XOR, variants, "en"))
    assert "symmetry" in details_text(result, 4, "en")
    _, variants = parse_compare("lr=0.1,1", replace(BASE, epochs=5), XOR, Limits())
    assert "symmetry" not in details_text(run(compare_payload(XOR, variants, "en")), 4, "en")


def test_the_jobs_time_is_shared_so_every_variant_gets_its_turn():
    import time

    slow = replace(BASE, epochs=1_000_000, batch_size=1)
    _, variants = parse_compare("lr=0.01,0.1", slow, XOR, replace(Limits(), max_epochs=10**6))
    payload = {**compare_payload(XOR, variants, "en"), "deadline": time.monotonic() + 1.0}
    result = run(payload)
    assert [v["reason"] for v in result["variants"]] == ["timeout", "timeout"]
    assert all(0 < v["epochs_run"] < 1_000_000 for v in result["variants"])
    assert "cut by the time limit" in details_text(result, 4, "en")
