"""The training job, as the job runner's worker process runs it: train, then draw the curve.

Imports go one way: this module uses the run and the pictures; neither knows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.inside.compare import run_compare_job
from bot.lab.job import run_lab_job
from bot.lab.personal import run_personal_job
from bot.lesson.work import run_lesson_job
from bot.training.pictures import loss_plot
from bot.training.run import run_training

LAB_JOBS: dict[str, Callable[..., Any]] = {"lab": run_lab_job, "personal": run_personal_job}
OTHER_JOBS: dict[str, Callable[..., Any]] = {
    "compare": run_compare_job,  # /compare's variants
    "lesson": run_lesson_job,  # a step of /lesson
}


def run_job(
    payload: Mapping[str, Any],
    report: Callable[[dict[str, Any]], None],
    should_stop: Callable[[], bool],
) -> Any:
    """The job runner's entry point: payload = {"table": Table, "settings": TrainSettings,
    "deadline", "lang"?}.

    With "lang", the loss curve is drawn here too: matplotlib holds the GIL while it renders,
    so drawing in the worker keeps the bot's event loop free for other chats.
    A payload with "kind" is another feature's job (the digits lab: "lab", "personal";
    /compare: "compare"; the guided lesson: "lesson").
    """
    if payload.get("kind") in LAB_JOBS:
        return LAB_JOBS[payload["kind"]](payload, report, should_stop)
    if payload.get("kind") in OTHER_JOBS:
        return OTHER_JOBS[payload["kind"]](payload, report, should_stop)
    outcome = run_training(
        payload["table"], payload["settings"], report, should_stop, payload.get("deadline")
    )
    if payload.get("lang") and outcome.history_dict.get("loss"):
        try:
            outcome.plot_png = loss_plot(outcome.history_dict, payload["lang"])
        except Exception:  # the network matters more than its picture: the bot draws it later
            outcome.plot_png = None
    return outcome
