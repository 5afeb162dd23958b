"""The satisfaction survey's answers: checked, kept durably, scored per day, sent later."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.feedback import FeedbackAnswer, FeedbackError, FeedbackSender, FeedbackStore
from kiosk.feedback.model import day_scores

JAKARTA = ZoneInfo("Asia/Jakarta")
# 23:30 WIB on 23 November: the office's day, not UTC's (16:30 UTC) nor tomorrow's.
LATE = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)


def answer(score: int = 4, service: str = "ADM", **changes: object) -> FeedbackAnswer:
    fields: dict[str, object] = {"at": LATE, "service": service, "score": score, "txid": "TX1"}
    fields.update(changes)
    return FeedbackAnswer(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"score": 0},
        {"score": 5},
        {"service": "print"},
        {"reasons": ("fast", "fast")},
        {"reasons": ("slow",)},  # offered for 1 and 2 only
        {"txid": None},  # names nothing
        {"ticket": "20261123-A-001"},  # names two things
        {"txid": "TX 1"},
        {"at": datetime(2026, 11, 23, 16, 30)},
    ],
)
def test_answers_outside_the_survey_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(FeedbackError):
        answer(**changes)


def test_the_index_is_the_mean_times_25_with_the_regulations_grade() -> None:
    scores = day_scores([("A", 4), ("A", 3), ("A", 4), ("ADM", 1), ("ADM", 2), ("ADM", 4)])
    assert [(s.service, s.answers, s.counts, s.ikm, s.grade) for s in scores] == [
        ("A", 3, (0, 0, 1, 2), 91.67, "A"),
        ("ADM", 3, (1, 1, 0, 1), 58.33, "D"),
    ]


def test_answers_survive_a_restart_and_count_on_the_office_day(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite", JAKARTA)
    store.record(answer(4, reasons=("fast", "easy")))
    store.record(answer(2, "B", txid=None, ticket="20261123-B-007", reasons=("slow",)))
    store.close()
    again = FeedbackStore(tmp_path / "feedback.sqlite", JAKARTA)
    try:
        assert [s.service for s in again.day(date(2026, 11, 24))] == []  # UTC's date: no
        assert [(s.service, s.ikm) for s in again.day(date(2026, 11, 23))] == [
            ("ADM", 100.0),
            ("B", 50.0),
        ]
        pending = again.pending()
        assert [a.reasons for _, a in pending] == [("fast", "easy"), ("slow",)]
        assert again.counts() == (2, 2)
    finally:
        again.close()


class FlakyOffice:
    """A delivery that fails ``failures`` times, then takes everything (recorded)."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.taken: list[FeedbackAnswer] = []
        self.calls = 0
        self.idle = threading.Event()

    def deliver(self, item: FeedbackAnswer) -> bool:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            return False
        self.taken.append(item)
        if len(self.taken) == 2:
            self.idle.set()
        return True


def test_the_sender_delivers_in_order_and_retries_what_the_office_did_not_take(
    tmp_path: Path,
) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite", JAKARTA)
    office = FlakyOffice(failures=1)
    sender = FeedbackSender(store, office, retry_s=0.05)
    try:
        store.record(answer(3, txid="TX1"))
        store.record(answer(1, txid="TX2"))
        assert not sender.send_pending()  # the office is away: both kept
        assert store.counts() == (2, 2)
        sender.start()
        assert office.idle.wait(5.0)
        assert [a.txid for a in office.taken] == ["TX1", "TX2"]
        assert store.counts() == (2, 0)
        sender.stop()
        assert sender.send_pending() and office.calls == 3  # nothing sent twice
    finally:
        sender.stop()
        store.close()


def test_kiosk_journal_ikm_prints_the_days_score_per_service(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite", JAKARTA)
    for score in (4, 4, 3):
        store.record(answer(score))
    store.record(answer(4, "A", txid=None, ticket="20261123-A-001"))
    store.record(answer(1, "A", txid=None, ticket="20261124-A-001", at=LATE + timedelta(hours=1)))
    store.close()
    command = [sys.executable, "-m", "kiosk", "journal", "ikm", "--state-dir", str(tmp_path)]
    shown = subprocess.run(
        [*command, "--day", "2026-11-23"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "ADM" in shown.stdout and "91.67" in shown.stdout and "A " in shown.stdout
    as_json = subprocess.run(
        [*command, "--day", "2026-11-24", "--json"], capture_output=True, text=True, timeout=60
    )
    data = json.loads(as_json.stdout)
    assert data["services"] == [
        {"service": "A", "answers": 1, "counts": [1, 0, 0, 0], "ikm": 25.0, "grade": "D"}
    ]
    assert data["not_sent"] == 5
