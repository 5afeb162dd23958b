"""What the UI needs of the session engine (kiosk.engine.session.SessionController has it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.engine.view import Intent, SessionView

ViewListener = Callable[[SessionView], None]


class SessionPort(Protocol):
    @property
    def view(self) -> SessionView: ...

    def send(self, intent: Intent) -> None:
        """Queue an intent; never blocks on I/O."""
        ...

    def subscribe(self, listener: ViewListener) -> Callable[[], None]:
        """``listener`` gets every new view, from the engine's thread; returns unsubscribe."""
        ...
