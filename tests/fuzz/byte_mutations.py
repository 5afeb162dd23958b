"""Shared fuzzing tools: byte-level mutation of a valid seed, and a time bound per call.

Random bytes mostly die at the first check of a parser; mutating a *valid* input (flip a bit,
cut it short, splice in a piece of itself or a boundary value) reaches the checks further in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

# Values that tend to sit on parsers' edges: length fields, sign bits, separators, controls.
INTERESTING = [
    b"\x00",
    b"\xff",
    b"\x7f",
    b"\x80",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x80",
    b"\x1b",
    b"\x1d",
    b".",
    b"=",
    b"\n",
    b'"',
    b"\\",
    b"{",
    b"[",
    b"]]]]",
    b"-1",
    b"99999999999999999999",
    b"1e999",
    b"\xc0\x80",
    b"\xed\xa0\x80",
]


def _apply(seed: bytes, op: tuple[Any, ...]) -> bytes:
    kind = op[0]
    if not seed:
        return bytes(op[-1]) if kind == "insert" else seed
    at = op[1] % (len(seed) + 1)
    if kind == "flip":
        if at == len(seed):
            return seed
        return seed[:at] + bytes([seed[at] ^ (1 << op[2])]) + seed[at + 1 :]
    if kind == "set":
        if at == len(seed):
            return seed
        return seed[:at] + bytes([op[2]]) + seed[at + 1 :]
    if kind == "insert":
        return seed[:at] + op[2] + seed[at:]
    if kind == "delete":
        return seed[:at] + seed[at + op[2] :]
    if kind == "truncate":
        return seed[:at]
    if kind == "duplicate":
        piece = seed[at : at + op[2]]
        return seed[:at] + piece * op[3] + seed[at:]
    raise AssertionError(kind)


_OPS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.integers(0, 7)),
    st.tuples(st.just("set"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(
        st.just("insert"),
        st.integers(0, 1 << 20),
        st.sampled_from(INTERESTING) | st.binary(min_size=1, max_size=16),
    ),
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20)),
    st.tuples(st.just("duplicate"), st.integers(0, 1 << 20), st.integers(1, 32), st.integers(2, 8)),
)


def mutations(seed: bytes, max_ops: int = 6) -> st.SearchStrategy[bytes]:
    """``seed`` with 1..max_ops random edits applied in turn."""
    return st.lists(_OPS, min_size=1, max_size=max_ops).map(lambda ops: _mutate(seed, ops))


def _mutate(seed: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    for op in ops:
        seed = _apply(seed, op)
    return seed


def within(seconds: float, call: Callable[[], T]) -> T:
    """Run ``call`` on a helper thread; fail (instead of hanging the suite) if it overruns.

    A hang cannot be killed from Python, but the test reports it at once and pytest-timeout
    ends the run. Exceptions from ``call`` are re-raised here unchanged.
    """
    result: list[Any] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(call())
        except BaseException as exc:
            error.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=target, name="fuzz-call", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(f"call did not return within {seconds} s (hang?)")
    if error:
        raise error[0]
    elapsed = time.monotonic() - started
    assert elapsed <= seconds, f"call took {elapsed:.2f} s, bound {seconds} s"
    return result[0]


def outcome(seconds: float, call: Callable[[], T], *allowed: type[Exception]) -> T | Exception:
    """``call``'s result, or the exception it raised if it is one of ``allowed``.

    Any other exception propagates (the test fails), and so does an overrun of ``seconds``.
    """
    try:
        return within(seconds, call)
    except allowed as error:
        return error


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/self/status")


def peak_rss_growth(call: Callable[[], T]) -> tuple[T, int]:
    """``call``'s result and how far the process's resident memory peaked above its start,
    in bytes. Counts what tracemalloc cannot see (PIL and numpy buffers, C libraries): the
    kernel's high-water mark is reset first (``/proc/self/clear_refs``), then read back."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")
    before = _status_kib("VmRSS")
    result = call()
    return result, max(0, _status_kib("VmHWM") - before) * 1024
