"""Key events from a keyboard-wedge scanner to whole codes, or to refused reads.

A scanner types a code as a fast burst of key presses (a few milliseconds apart) ending with a
terminator key (Enter or Tab); a person types slowly. The parser keeps one burst at a time:

- a character key adds its character (Shift and Caps Lock applied, US layout);
- the terminator ends the burst: a code if it is clean and long enough, a refused read if a key
  in it was no character (GARBAGE), a control key or Ctrl/Alt (CONTROL), or it went past
  ``max_length`` (TOO_LONG, counted without keeping the excess);
- a pause longer than ``max_key_gap_s`` between two keys, or silence (:meth:`idle`), ends the
  burst without a terminator: INCOMPLETE (half a code) when it held ``min_length`` characters or
  more, otherwise keys typed by a person, dropped without a message;
- the kernel's SYN_DROPPED (its buffer overflowed) spoils the burst: GARBAGE.

Gaps are measured between the events' own timestamps, so a recording replays exactly as it was
typed. Plain Python: no I/O, no clocks, no threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners.input_events import (
    EV_KEY,
    EV_SYN,
    KEY_PRESS,
    KEY_RELEASE,
    SYN_DROPPED,
    InputEvent,
)
from devices.scanners.keymap import (
    COMMAND_KEYS,
    CONTROL_CHARACTERS,
    KEY_CAPSLOCK,
    KEY_ENTER,
    KEY_KPENTER,
    LOCK_KEYS,
    SHIFT_KEYS,
    character,
)
from devices.scanners.text import check_text


@dataclass(frozen=True, slots=True)
class WedgeRules:
    terminators: frozenset[int] = frozenset({KEY_ENTER, KEY_KPENTER})
    max_key_gap_s: float = 0.05  # longer between two keys of one burst: a person, or a half code
    min_length: int = 4  # shorter bursts are keys a person typed
    max_length: int = 512


class WedgeParser:
    def __init__(self, rules: WedgeRules | None = None) -> None:
        self.rules = rules or WedgeRules()
        self._chars: list[str] = []
        self._count = 0  # characters in this burst, including those past max_length
        self._spoiled: ScanProblem | None = None  # the first problem seen in this burst
        self._last_key: float | None = None  # event time of the burst's last key press
        self._shift: set[int] = set()
        self._command: set[int] = set()
        self._caps = False
        self.typed_keys = 0  # keys dropped as typed by a person (statistics)

    @property
    def pending(self) -> bool:
        """A burst has started and not ended."""
        return self._last_key is not None

    @property
    def held(self) -> int:
        """Characters held now (never more than ``max_length``)."""
        return len(self._chars)

    def feed(self, event: InputEvent) -> list[ScannerRead]:
        if event.type == EV_SYN and event.code == SYN_DROPPED:
            self._spoil(ScanProblemKind.GARBAGE, "the kernel dropped key events (buffer overrun)")
            return []
        if event.type != EV_KEY:
            return []
        code, value = event.code, event.value
        if code in SHIFT_KEYS or code in COMMAND_KEYS:
            held = self._shift if code in SHIFT_KEYS else self._command
            if value == KEY_PRESS:
                held.add(code)
            elif value == KEY_RELEASE:
                held.discard(code)
            return []
        if value != KEY_PRESS:  # releases, and auto-repeat (scanners never hold a key)
            return []
        out: list[ScannerRead] = []
        if self._last_key is not None and event.time - self._last_key > self.rules.max_key_gap_s:
            gap = event.time - self._last_key
            out += self._end_burst(f"then {gap:.2f} s until the next key, no terminator")
        self._last_key = event.time
        if code in self.rules.terminators:
            out += self._finish()
        elif code == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif code not in LOCK_KEYS:
            self._key(code)
        return out

    def idle(self, silent_s: float) -> list[ScannerRead]:
        """No key for ``silent_s`` seconds (the driver's clock): end a burst left open."""
        if self._last_key is None:
            return []
        return self._end_burst(f"then {silent_s:.2f} s of silence, no terminator")

    def reset(self) -> None:
        """Forget the burst and the held keys (the device was reopened)."""
        self._clear()
        self._shift.clear()
        self._command.clear()
        self._caps = False

    # -- internals ----------------------------------------------------------------------------

    def _key(self, code: int) -> None:
        self._count += 1
        if self._command:
            self._spoil(ScanProblemKind.CONTROL, f"key {code} pressed with Ctrl, Alt or Meta")
            return
        control = CONTROL_CHARACTERS.get(code)
        if control is not None:
            self._spoil(ScanProblemKind.CONTROL, f"control key {code} inside a code")
            return
        char = character(code, shift=bool(self._shift), caps=self._caps)
        if char is None:
            self._spoil(ScanProblemKind.GARBAGE, f"key {code} is not a character")
            return
        if self._count <= self.rules.max_length:
            self._chars.append(char)

    def _spoil(self, kind: ScanProblemKind, detail: str) -> None:
        if self._spoiled is None:
            self._spoiled = ScanProblem(kind, detail)

    def _finish(self) -> list[ScannerRead]:
        count, spoiled, chars = self._count, self._spoiled, self._chars
        self._clear()
        if spoiled is not None:
            return [spoiled]
        if count > self.rules.max_length:
            detail = f"{count} characters, more than {self.rules.max_length}"
            return [ScanProblem(ScanProblemKind.TOO_LONG, detail)]
        if count == 0:
            return []  # a terminator alone
        if count < self.rules.min_length:
            self.typed_keys += count + 1
            return []
        text = "".join(chars)
        problem = check_text(text, self.rules.max_length)
        return [problem] if problem is not None else [ScannedText(text)]

    def _end_burst(self, how: str) -> list[ScannerRead]:
        count, spoiled = self._count, self._spoiled
        self._clear()
        if spoiled is not None:
            return [spoiled]
        if count >= self.rules.min_length:
            return [ScanProblem(ScanProblemKind.INCOMPLETE, f"{count} characters, {how}")]
        self.typed_keys += count
        return []

    def _clear(self) -> None:
        self._chars = []
        self._count = 0
        self._spoiled = None
        self._last_key = None
