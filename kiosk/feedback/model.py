"""The satisfaction survey (IKM, Indeks Kepuasan Masyarakat, PermenPANRB 14/2017): its scale,
its reasons, one answer, and the day's score.

The four-point scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik. The index of a set of
answers is their mean times 25 (a 25-100 score), as the regulation converts it. Reason chips
are fixed codes (never free text: nothing personal can be typed into a survey), offered per
score: what went well for 3 and 4, what went wrong for 1 and 2.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

SCORES = (1, 2, 3, 4)
ADM_SERVICE = "ADM"  # the kiosk's own self-service (print, check), beside the queue's letters
GOOD_REASONS = ("fast", "easy", "clear", "free")
BAD_REASONS = ("slow", "hard", "unclear", "device")
_SERVICE = re.compile(r"ADM|[A-Z]")
_REF = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def reasons_for(score: int) -> tuple[str, ...]:
    """The reason codes offered once ``score`` is chosen."""
    return GOOD_REASONS if score >= 3 else BAD_REASONS


class FeedbackError(ValueError):
    """An answer outside the scale, with reasons not offered, or naming nothing."""


@dataclass(frozen=True, slots=True)
class FeedbackAnswer:
    """One survey answer, as stored and as sent to the office (``POST /v1/feedback``)."""

    at: datetime  # aware
    service: str  # a queue service's letter, or ADM_SERVICE
    score: int
    reasons: tuple[str, ...] = ()
    ticket: str | None = None  # the queue ticket's id (a ticket session)
    txid: str | None = None  # a kiosk session: a random survey id, never the print's txid

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise FeedbackError("at must be aware")
        if self.score not in SCORES:
            raise FeedbackError("score must be 1-4")
        if not _SERVICE.fullmatch(self.service):
            raise FeedbackError("service must be a queue letter or ADM")
        if len(set(self.reasons)) != len(self.reasons) or not set(self.reasons) <= set(
            reasons_for(self.score)
        ):
            raise FeedbackError("reasons must be distinct and offered for the score")
        refs = [r for r in (self.ticket, self.txid) if r is not None]
        if len(refs) != 1 or not _REF.fullmatch(refs[0]):
            raise FeedbackError("an answer names one ticket or one txid")


@dataclass(frozen=True, slots=True)
class DayScore:
    """A service's answers on one office day."""

    service: str
    answers: int
    counts: tuple[int, int, int, int]  # answers with score 1, 2, 3, 4
    ikm: float  # mean x 25: 25-100

    @property
    def grade(self) -> str:
        """The regulation's quality letter for the index: A (>= 88.31) ... D."""
        for bound, letter in ((88.31, "A"), (76.61, "B"), (65.0, "C")):
            if self.ikm >= bound:
                return letter
        return "D"


def day_scores(answers: Iterable[tuple[str, int]]) -> list[DayScore]:
    """``(service, score)`` pairs -> one :class:`DayScore` per service, by service."""
    by_service: dict[str, list[int]] = {}
    for service, score in answers:
        by_service.setdefault(service, []).append(score)
    return [_score(service, scores) for service, scores in sorted(by_service.items())]


def _score(service: str, scores: Sequence[int]) -> DayScore:
    counts = tuple(scores.count(s) for s in SCORES)
    return DayScore(
        service=service,
        answers=len(scores),
        counts=(counts[0], counts[1], counts[2], counts[3]),
        ikm=round(statistics.fmean(scores) * 25, 2),
    )
