"""Keyboard-wedge parsing: key events (and the kernel's raw records) to codes or refusals.

Property tests feed random events and random bytes: the parser never raises, never holds more
than ``max_length`` characters, and everything it returns is a clean code or a reasoned refusal.
"""

from __future__ import annotations

import string

import evdev.ecodes as ecodes
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners import keymap
from devices.scanners.input_events import (
    EV_KEY,
    EV_MSC,
    EV_SYN,
    RECORD,
    SYN_DROPPED,
    EventDecoder,
    InputEvent,
    encode_events,
)
from devices.scanners.keymap import KEY_ENTER, KEY_LEFTCTRL, KEY_TAB, TERMINATORS, keystrokes
from devices.scanners.wedge_parser import WedgeParser, WedgeRules

PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
TOKEN = "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTEyMyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


def run(events: list[InputEvent], rules: WedgeRules | None = None) -> list[ScannerRead]:
    parser = WedgeParser(rules)
    out: list[ScannerRead] = []
    for event in events:
        out += parser.feed(event)
    return out + parser.idle(1.0)


def typed(text: str, gap: float = 0.003, terminator: int | None = KEY_ENTER) -> list[InputEvent]:
    return list(keystrokes(text, start=1_700_000_000.0, key_gap_s=gap, terminator=terminator))


def test_key_codes_are_the_kernels() -> None:
    names = {"KEY_ESC": keymap.KEY_ESC, "KEY_TAB": KEY_TAB, "KEY_ENTER": KEY_ENTER,
             "KEY_LEFTCTRL": KEY_LEFTCTRL, "KEY_LEFTSHIFT": keymap.KEY_LEFTSHIFT,
             "KEY_RIGHTSHIFT": keymap.KEY_RIGHTSHIFT, "KEY_LEFTALT": keymap.KEY_LEFTALT,
             "KEY_CAPSLOCK": keymap.KEY_CAPSLOCK, "KEY_F1": keymap.KEY_F1,
             "KEY_KPENTER": keymap.KEY_KPENTER, "KEY_RIGHTALT": keymap.KEY_RIGHTALT,
             "KEY_LEFTMETA": keymap.KEY_LEFTMETA, "KEY_A": 30, "KEY_Q": 16, "KEY_Z": 44,
             "KEY_1": 2, "KEY_0": 11, "KEY_SPACE": 57, "KEY_SLASH": 53, "KEY_BACKSLASH": 43,
             "KEY_GRAVE": 41, "KEY_KP0": 82, "KEY_KPSLASH": 98}  # fmt: skip
    for name, code in names.items():
        assert getattr(ecodes, name) == code, name
    assert RECORD.size == 24  # struct input_event on 64-bit Linux, as CI runs


def test_every_printable_character_types_and_reads_back() -> None:
    assert run(typed(PRINTABLE)) == [ScannedText(PRINTABLE)]


def test_a_voucher_token_with_tab_terminator() -> None:
    rules = WedgeRules(terminators=TERMINATORS["tab"])
    assert run(typed(TOKEN, terminator=KEY_TAB), rules) == [ScannedText(TOKEN)]


def test_caps_lock_swaps_letters_only() -> None:
    caps = typed("", terminator=keymap.KEY_CAPSLOCK)[:-1]  # a Caps Lock press, no Enter
    assert run(caps + typed("ab1C")) == [ScannedText("AB1c")]


def test_keys_typed_slowly_are_a_person_and_say_nothing() -> None:
    parser = WedgeParser()
    out: list[ScannerRead] = []
    for event in typed("3201", gap=0.3):
        out += parser.feed(event)
    assert out == [] and parser.typed_keys >= 4


def test_half_a_code_at_silence_is_incomplete() -> None:
    [result] = run(typed("3201014508900001", terminator=None))
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.INCOMPLETE
    assert "16 characters" in result.detail and "3201" not in result.detail


def test_a_pause_inside_a_code_ends_it_and_the_rest_stands_alone() -> None:
    first = typed("ADM1.abc", terminator=None)
    rest = list(keystrokes(".def", start=1_700_000_001.0, key_gap_s=0.003))
    out = run(first + rest)
    assert [type(r) for r in out] == [ScanProblem, ScannedText]
    assert out[0].kind is ScanProblemKind.INCOMPLETE  # type: ignore[union-attr]
    assert out[1] == ScannedText(".def")


def test_control_keys_and_modifiers_spoil_a_code() -> None:
    enter_inside = typed("ABCD", terminator=KEY_TAB) + typed("EFGH")
    rules = WedgeRules(terminators=TERMINATORS["tab"])
    [first, *_] = run(enter_inside, rules)
    assert first == ScannedText("ABCD")
    ctrl = [InputEvent(1, 0, EV_KEY, KEY_LEFTCTRL, 1), *typed("ABCD")]
    [result] = run(ctrl)
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.CONTROL


def test_unmapped_keys_are_garbage_and_lost_events_spoil_the_code() -> None:
    events = typed("ABCD")
    events.insert(2, InputEvent(1_700_000_000, 1000, EV_KEY, keymap.KEY_F1, 1))
    [result] = run(events)
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.GARBAGE
    dropped = [InputEvent(1700000000, 0, EV_SYN, SYN_DROPPED, 0), *typed("ABCD")]
    [result] = run(dropped)
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.GARBAGE


def test_too_long_is_refused_and_never_kept() -> None:
    parser = WedgeParser(WedgeRules(max_length=32))
    out: list[ScannerRead] = []
    for event in typed("9" * 5000):
        out += parser.feed(event)
        assert parser.held <= 32  # bounded while it arrives
    [result] = out
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.TOO_LONG
    assert "5000 characters" in result.detail


def test_usb_hid_scan_codes_and_auto_repeat_are_ignored() -> None:
    events: list[InputEvent] = []
    for event in typed("A1b2"):
        if event.type == EV_KEY:
            events.append(InputEvent(event.sec, event.usec, EV_MSC, 4, 0x70004))  # MSC_SCAN
        events.append(event)
        if event.type == EV_KEY and event.value == 1 and event.code != KEY_ENTER:
            events.append(InputEvent(event.sec, event.usec, EV_KEY, event.code, 2))
    assert run(events) == [ScannedText("A1b2")]


def test_records_cut_anywhere_decode_the_same() -> None:
    data = encode_events(typed(TOKEN))
    for cut in (1, 7, 23, 24, 25, 100):
        decoder, parser, out = EventDecoder(), WedgeParser(), []
        for start in range(0, len(data), cut):
            for event in decoder.feed(data[start : start + cut]):
                out += parser.feed(event)
        assert out == [ScannedText(TOKEN)] and decoder.partial_bytes == 0


def _valid(result: ScannerRead, max_length: int) -> bool:
    if isinstance(result, ScannedText):
        return 0 < len(result.text) <= max_length and all(c in PRINTABLE for c in result.text)
    return isinstance(result.kind, ScanProblemKind) and bool(result.detail)


events = st.builds(
    InputEvent,
    sec=st.integers(0, 2**31),
    usec=st.integers(-5, 1_000_005),
    type=st.sampled_from([EV_SYN, EV_KEY, EV_KEY, EV_KEY, EV_MSC, 0xFFFF]),
    code=st.one_of(st.integers(0, 130), st.integers(0, 0xFFFF)),
    value=st.sampled_from([0, 1, 1, 2, -1, 2**31 - 1]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(events, max_size=200), st.integers(1, 40))
def test_random_events_never_raise_and_give_only_clean_results(
    stream: list[InputEvent], max_length: int
) -> None:
    parser = WedgeParser(WedgeRules(max_length=max_length, min_length=1))
    results: list[ScannerRead] = []
    for event in stream:
        results += parser.feed(event)
        assert parser.held <= max_length
    results += parser.idle(5.0)
    assert all(_valid(r, max_length) for r in results)
    assert not parser.pending


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_through_the_decoder_never_raise(data: bytes) -> None:
    decoder, parser = EventDecoder(), WedgeParser()
    results: list[ScannerRead] = []
    for event in decoder.feed(data):
        results += parser.feed(event)
    assert decoder.partial_bytes == len(data) % RECORD.size
    assert all(_valid(r, parser.rules.max_length) for r in results + parser.idle(1.0))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable[:95], min_size=4, max_size=300))
def test_any_printable_code_reads_back_exactly(text: str) -> None:
    assert run(typed(text)) == [ScannedText(text)]
