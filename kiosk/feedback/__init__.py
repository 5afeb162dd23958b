"""The satisfaction survey (IKM): answers, their durable store, and their way to the office."""

from kiosk.feedback.model import (
    ADM_SERVICE,
    BAD_REASONS,
    GOOD_REASONS,
    SCORES,
    DayScore,
    FeedbackAnswer,
    FeedbackError,
    reasons_for,
)
from kiosk.feedback.ports import FeedbackDelivery, FeedbackRecorder
from kiosk.feedback.sender import FeedbackSender
from kiosk.feedback.store import FeedbackStore

__all__ = [
    "ADM_SERVICE",
    "BAD_REASONS",
    "GOOD_REASONS",
    "SCORES",
    "DayScore",
    "FeedbackAnswer",
    "FeedbackDelivery",
    "FeedbackError",
    "FeedbackRecorder",
    "FeedbackSender",
    "FeedbackStore",
    "reasons_for",
]
