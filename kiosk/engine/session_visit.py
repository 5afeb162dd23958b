"""A visit's documents: the list of a family's ready documents, the one confirmed, the others
offered again after a print (without the PIN again, each its own transaction), and the PIN
asked again, once per document, when the registry no longer takes the visit's proof.

A mixin of :class:`kiosk.engine.session.SessionController`: its handlers are the controller's
methods (listed in :data:`kiosk.engine.session.TRANSITIONS`) and run on its worker like the
others. The proofs stay in :class:`~kiosk.engine.session_flows.Personal`, wiped at the end.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.engine.intent_worker import IntentWorker
from kiosk.engine.outcomes import TxOutcome, TxResult
from kiosk.engine.ports import VerifiedVoucher
from kiosk.engine.session_flows import Personal, summary
from kiosk.engine.view import Back, ChooseDocument, DocumentSummary, MoreDocuments, Screen

log = logging.getLogger(__name__)


class VisitBranch(IntentWorker):
    """Choosing among the visit's documents; the state it shares lives on the controller."""

    _confirm_from: Screen  # where Back from CONFIRM returns
    _choose_from: Screen  # where Back from CHOOSE_DOCUMENT returns
    _printed: DocumentSummary | None  # printed last: DONE names it
    if TYPE_CHECKING:  # the controller's, declared for the type checker only
        _personal: Personal

        def _go(self, screen: Screen, **changes: Any) -> None: ...
        def _back_to_menu(self, _: object) -> None: ...

    def _ask_pin_again(self, result: TxResult, vid: str) -> bool:
        """The registry no longer takes the visit's proof (it is valid a few minutes): nothing
        was reserved, so ask for the PIN again and carry on with the same document, once."""
        personal = self._personal
        stale = (
            result.outcome is TxOutcome.FAILED
            and result.error is not None
            and result.error.code == "SESSION_EXPIRED"
        )
        if not stale or personal.again is None or vid in personal.asked_again:
            return False
        log.info("session: proof no longer accepted; asking for the PIN again")
        personal.asked_again.add(vid)
        personal.pending = vid
        personal.choices = []  # their proofs are as old: fresh ones come with the PIN
        self._go(Screen.PIN, notice="pin_again", document=None, choices=())
        return True

    def _document_chosen(self, intent: ChooseDocument) -> None:
        chosen = [v for v in self._personal.choices if str(v.vid) == intent.vid]
        if chosen:
            self._confirm(chosen[0], Screen.CHOOSE_DOCUMENT)

    def _more_documents(self, _: MoreDocuments) -> None:
        """After a print: the family's documents not printed yet, to choose the next one."""
        choices = tuple(summary(v) for v in self._personal.choices)
        if choices:
            self._choose_from = Screen.DONE
            self._go(Screen.CHOOSE_DOCUMENT, choices=choices)

    def _back_from_choose(self, _: Back) -> None:
        """Back to the print that offered the list (its document still named); else the menu."""
        if self._choose_from is Screen.DONE and self._personal.choices:
            choices = tuple(summary(v) for v in self._personal.choices)
            self._go(Screen.DONE, choices=choices, document=self._printed)
        else:
            self._back_to_menu(None)

    def _confirm(self, verified: VerifiedVoucher, came_from: Screen) -> None:
        self._personal.verified = verified
        self._confirm_from = came_from
        self._go(Screen.CONFIRM, document=summary(verified), choices=())

    def _back_from_confirm(self, _: Back) -> None:
        """Back to the list the document was chosen from; from a scanned QR, to the menu."""
        personal = self._personal
        personal.verified = None
        choices = tuple(summary(v) for v in personal.choices)
        if self._confirm_from is Screen.CHOOSE_DOCUMENT:
            self._go(Screen.CHOOSE_DOCUMENT, choices=choices, document=None)
        else:
            self._back_to_menu(None)
