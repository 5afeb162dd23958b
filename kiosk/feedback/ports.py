"""The survey's two ports: where an answer is kept, and how it reaches the office.

:class:`FeedbackRecorder` is what the session calls when the citizen answers; the kiosk's
implementation is :class:`kiosk.feedback.store.FeedbackStore` (durable, local). The office
queue server takes answers at ``POST /v1/feedback`` ``{ticket or txid, service, score,
reasons}``; a :class:`FeedbackDelivery` sends one there and says whether the office has it.
The HTTP delivery belongs to the kiosk's office-queue client; :class:`FeedbackSender` drains
the store through whichever delivery bootstrap wires (none: answers stay local, and
``kiosk journal ikm`` reports them).
"""

from __future__ import annotations

from typing import Protocol

from kiosk.feedback.model import FeedbackAnswer


class FeedbackRefused(Exception):
    """The office will never take this answer (an unknown ticket or service, a malformed
    body): ``code`` is its reason. The sender sets it aside instead of sending it again."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class FeedbackRecorder(Protocol):
    def record(self, answer: FeedbackAnswer) -> int:
        """Keep ``answer`` durably (before returning); its local id."""
        ...


class FeedbackDelivery(Protocol):
    def deliver(self, answer: FeedbackAnswer) -> bool:
        """Send ``answer`` to the office: True once it is stored there (201, or 200 for one it
        already had), False to try again later. Must not raise for network failures; raises
        :class:`FeedbackRefused` when the office refuses the answer itself."""
        ...
