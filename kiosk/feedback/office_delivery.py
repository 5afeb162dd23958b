"""Survey answers to the office queue server's ``POST /v1/feedback`` through the kiosk's queue
client (:class:`kiosk.queue_client.client.QueueServerClient`).

The server keeps one answer per ticket or txid and answers a repeat with 200 and the first
answer, so sending again after a lost acknowledgement is safe. Outcomes for the sender:

- stored (201, or 200 for one it already had): ``True``;
- the server is down, slow, answers oddly, or refuses this kiosk (401/403: a key being fixed,
  429): ``False``, sent again later;
- the server refuses the answer itself (an unknown ticket or service, a malformed body):
  :class:`~kiosk.feedback.ports.FeedbackRefused`, never sent again (it would block the answers
  behind it).

A kiosk session (print, check, an error) is rated as service ``ADM``, which the server accepts
for answers naming a txid (DESIGN section 5; the kiosk sends a random survey id there, never
the print's own txid); a ticket session as the ticket's service.
"""

from __future__ import annotations

import logging
from typing import Protocol

from kiosk.feedback.model import FeedbackAnswer
from kiosk.feedback.ports import FeedbackRefused
from kiosk.queue_client.client import QueueServerError, ServerRefused

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({401, 403, 408, 429})  # the kiosk's side or the moment: try later


class FeedbackClient(Protocol):
    """What the delivery needs of the queue client."""

    def feedback(
        self,
        *,
        service: str,
        score: int,
        reasons: tuple[str, ...],
        ticket: str | None,
        txid: str | None,
    ) -> object: ...


class OfficeFeedbackDelivery:
    """Implements :class:`kiosk.feedback.ports.FeedbackDelivery` over HTTP."""

    def __init__(self, client: FeedbackClient) -> None:
        self._client = client

    def deliver(self, answer: FeedbackAnswer) -> bool:
        try:
            self._client.feedback(
                service=answer.service,
                score=answer.score,
                reasons=answer.reasons,
                ticket=answer.ticket,
                txid=answer.txid,
            )
        except ServerRefused as exc:
            if exc.status in RETRY_STATUSES:
                log.warning("feedback: the queue server refused this kiosk (%s)", exc.code)
                return False
            raise FeedbackRefused(exc.code) from exc
        except QueueServerError as exc:
            log.info("feedback: not sent now (%s)", exc.code)
            return False
        return True
