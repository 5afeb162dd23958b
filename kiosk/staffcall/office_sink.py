"""The office sink: a staff call goes to the office queue server's ``POST /v1/alerts``, where the
counter pages show it ("a citizen at kiosk-1 asks for help, on the PIN screen").

The body is :meth:`StaffCall.alert_body` with one difference the contract asks for: ``kiosk``
is the kiosk's client id at the queue server (the server takes alerts a kiosk raises for
itself only), which the queue client sets. The call runs on the staff caller's worker, within
the client's one deadline; an alert is not retried once sent (a POST without an
Idempotency-Key: a second try could raise two alerts), and a server that is down or refuses
makes the delivery fail (:class:`StaffCallUndelivered`, counted as
``kiosk_staff_call_deliveries_total{sink="office",result="failed"}``) while the technician log
still has the call.
"""

from __future__ import annotations

import logging
from typing import Protocol

from kiosk.queue_client.client import QueueServerError
from kiosk.staffcall.port import StaffCall, StaffCallUndelivered

log = logging.getLogger(__name__)


class AlertClient(Protocol):
    """What the sink needs of :class:`kiosk.queue_client.client.QueueServerClient`."""

    def alert(self, kind: str, screen: str) -> object: ...


class OfficeAlertSink:
    name = "office"

    def __init__(self, client: AlertClient) -> None:
        self._client = client

    def deliver(self, call: StaffCall) -> None:
        body = call.alert_body()
        try:
            answer = self._client.alert(body["kind"], body["screen"])
        except QueueServerError as exc:
            raise StaffCallUndelivered(f"queue server: {exc.code} ({exc.detail})") from exc
        log.info("staff call %s raised at the office (%s)", call.call_id, answer)
