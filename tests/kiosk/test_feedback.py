"""The satisfaction survey's answers: checked, kept durably, scored per day, sent later."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.feedback import FeedbackAnswer, FeedbackError, FeedbackSender, FeedbackStore
from kiosk.feedback.model import day_scores
from kiosk.feedback.ports import FeedbackRefused

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


class RefusingOffice:
    """Takes every answer except those naming ``refused`` (raises FeedbackRefused)."""

    def __init__(self, refused: str) -> None:
        self.refused = refused
        self.taken: list[str | None] = []

    def deliver(self, item: FeedbackAnswer) -> bool:
        if item.txid == self.refused:
            raise FeedbackRefused("queue_unknown_service")
        self.taken.append(item.txid)
        return True


def test_an_answer_the_office_refuses_is_set_aside_and_does_not_block_the_rest(
    tmp_path: Path,
) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite", JAKARTA)
    office = RefusingOffice("TX2")
    sender = FeedbackSender(store, office)
    try:
        for txid in ("TX1", "TX2", "TX3"):
            store.record(answer(4, txid=txid))
        assert sender.send_pending() and office.taken == ["TX1", "TX3"]
        assert store.counts() == (3, 0) and store.pending() == []
        assert sender.send_pending() and office.taken == ["TX1", "TX3"]  # not sent again
        assert store.day(date(2026, 11, 23))[0].answers == 3  # still in the kiosk's own score
    finally:
        store.close()


def test_a_store_from_before_refusals_keeps_its_pending_answers(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite"
    with closing(sqlite3.connect(path)) as old:  # the schema as first released
        old.executescript(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL,"
            " service TEXT NOT NULL, score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),"
            " reasons TEXT NOT NULL, ticket TEXT, txid TEXT, delivered_at TEXT);"
            "CREATE INDEX feedback_pending ON feedback (id) WHERE delivered_at IS NULL;"
            "INSERT INTO feedback (at, day, service, score, reasons, txid) VALUES"
            " ('2026-11-23T16:30:00+00:00', '2026-11-23', 'ADM', 4, '[]', 'TX-OLD');"
        )
        old.commit()
    store = FeedbackStore(path, JAKARTA)
    try:
        [(answer_id, kept)] = store.pending()
        assert kept.txid == "TX-OLD" and store.counts() == (1, 1)
        store.mark_refused(answer_id, "queue_unknown_service")
        assert store.counts() == (1, 0)
    finally:
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
