"""Linux key codes to characters for a keyboard-wedge scanner set to the US layout.

The codes are the kernel's (``linux/input-event-codes.h``), a stable ABI; a test checks them
against python-evdev's ``ecodes``. A scanner "types" each character of a code as key presses
(with Shift for capitals and symbols), then a terminator key (Enter or Tab). Only the US layout
is mapped: configure the scanner for it (every scanner's manual has the setup barcode).
"""

from __future__ import annotations

from collections.abc import Iterator

from devices.scanners.input_events import (
    EV_KEY,
    EV_SYN,
    KEY_PRESS,
    KEY_RELEASE,
    SYN_REPORT,
    InputEvent,
)

KEY_ESC = 1
KEY_BACKSPACE = 14
KEY_TAB = 15
KEY_ENTER = 28
KEY_LEFTCTRL = 29
KEY_LEFTSHIFT = 42
KEY_RIGHTSHIFT = 54
KEY_LEFTALT = 56
KEY_CAPSLOCK = 58
KEY_F1 = 59
KEY_NUMLOCK = 69
KEY_SCROLLLOCK = 70
KEY_KPENTER = 96
KEY_RIGHTCTRL = 97
KEY_RIGHTALT = 100
KEY_LEFTMETA = 125
KEY_RIGHTMETA = 126

SHIFT_KEYS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
# Held with a character key, these make it a command, never part of a code (Alt+numpad is how
# some scanners type non-ASCII characters).
COMMAND_KEYS = frozenset({KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_LEFTALT, KEY_RIGHTALT,
                          KEY_LEFTMETA, KEY_RIGHTMETA})  # fmt: skip
LOCK_KEYS = frozenset({KEY_NUMLOCK, KEY_SCROLLLOCK})
TERMINATORS = {
    "enter": frozenset({KEY_ENTER, KEY_KPENTER}),
    "tab": frozenset({KEY_TAB}),
    "enter_or_tab": frozenset({KEY_ENTER, KEY_KPENTER, KEY_TAB}),
}

# (first key code, unshifted characters, shifted characters): runs of consecutive codes.
_ROWS = (
    (2, "1234567890-=", "!@#$%^&*()_+"),
    (16, "qwertyuiop[]", "QWERTYUIOP{}"),
    (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
    (57, " ", " "),
)
_KEYPAD = {55: "*", 71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+",
           79: "1", 80: "2", 81: "3", 82: "0", 83: ".", 98: "/"}  # fmt: skip
# Keys that type control characters: inside a code they make it a CONTROL problem.
CONTROL_CHARACTERS = {KEY_ENTER: "\r", KEY_KPENTER: "\r", KEY_TAB: "\t",
                      KEY_BACKSPACE: "\b", KEY_ESC: "\x1b"}  # fmt: skip


def _table() -> dict[int, tuple[str, str]]:
    table: dict[int, tuple[str, str]] = {}
    for first, plain, shifted in _ROWS:
        for offset, (low, high) in enumerate(zip(plain, shifted, strict=True)):
            table[first + offset] = (low, high)
    for code, char in _KEYPAD.items():
        table[code] = (char, char)
    return table


US_KEYS: dict[int, tuple[str, str]] = _table()
_KEY_OF: dict[str, tuple[int, bool]] = {}
for _code, (_low, _high) in sorted(US_KEYS.items(), reverse=True):  # main block wins over keypad
    _KEY_OF[_high] = (_code, _high != _low)
    _KEY_OF[_low] = (_code, False)


def character(code: int, *, shift: bool, caps: bool) -> str | None:
    """The character key ``code`` types, or None if it types none."""
    pair = US_KEYS.get(code)
    if pair is None:
        return None
    low, high = pair
    upper = shift != (caps and low.isalpha())
    return high if upper else low


def key_for(char: str) -> tuple[int, bool]:
    """(key code, needs Shift) for a printable ASCII character; KeyError otherwise."""
    return _KEY_OF[char]


def keystrokes(
    text: str, *, start: float, key_gap_s: float, terminator: int | None = KEY_ENTER
) -> Iterator[InputEvent]:
    """The events a US-layout wedge scanner sends for ``text`` (then ``terminator``), one key
    every ``key_gap_s`` from ``start`` (seconds). Used by the simulated scanner and tests."""
    at = start

    def event(kind: int, code: int, value: int) -> InputEvent:
        sec, usec = divmod(round(at * 1_000_000), 1_000_000)
        return InputEvent(sec, usec, kind, code, value)

    def press(code: int, shift: bool) -> Iterator[InputEvent]:
        if shift:
            yield event(EV_KEY, KEY_LEFTSHIFT, KEY_PRESS)
        yield event(EV_KEY, code, KEY_PRESS)
        yield event(EV_SYN, SYN_REPORT, 0)
        yield event(EV_KEY, code, KEY_RELEASE)
        if shift:
            yield event(EV_KEY, KEY_LEFTSHIFT, KEY_RELEASE)
        yield event(EV_SYN, SYN_REPORT, 0)

    for char in text:
        code, shift = key_for(char)
        yield from press(code, shift)
        at += key_gap_s
    if terminator is not None:
        yield from press(terminator, False)
