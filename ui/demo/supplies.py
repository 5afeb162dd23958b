"""What the demo hands out and collects: the simulator's vouchers, and the virtual paper."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ui.demo.driver import DemoError

Waiter = Callable[[Callable[[], bool], float, str], None]


def step_of(view: Any) -> str | None:
    progress = view.progress
    return str(progress.step.value) if progress is not None else None


class VoucherPicker:
    """Hands out ready vouchers from the simulator's list, each citizen at most once.

    Per citizen, not per voucher: the registry counts wrong PINs per NIK, so a scenario that
    locks one voucher locks all of its holder's vouchers."""

    def __init__(self, vouchers: Iterable[dict[str, Any]]) -> None:
        self._ready = [v for v in vouchers if v.get("status") == "ready"]
        self._used: set[str] = set()
        self._holders: set[str] = set()

    def take(
        self, doc: str | None = None, *, exclude_holders: Iterable[str] = ()
    ) -> dict[str, Any]:
        skip = set(exclude_holders)
        for voucher in self._ready:
            holder = voucher["holder_nik"]
            if voucher["vid"] in self._used or holder in skip or holder in self._holders:
                continue
            if doc is None or voucher["doc"] == doc:
                self._used.add(voucher["vid"])
                self._holders.add(holder)
                return voucher
        raise DemoError(f"no ready {doc or 'any'} voucher left in the simulator")

    @property
    def used(self) -> frozenset[str]:
        return frozenset(self._used)

    def reserve_holder(self, nik: str) -> None:
        """Hand out every ready voucher of ``nik`` at once (a family's visit prints them)."""
        self._used |= {v["vid"] for v in self._ready if v["holder_nik"] == nik}

    def holder_with_shared_pin(self) -> tuple[str, str]:
        """A NIK with two ready documents under one PIN (the choose-document screen), else any."""
        groups: dict[tuple[str, str], list[str]] = {}
        for voucher in self._ready:
            key = (voucher["holder_nik"], voucher["pin"])
            groups.setdefault(key, []).append(voucher["vid"])
        untouched = {
            k: v for k, v in groups.items() if not self._used & set(v) and k[0] not in self._holders
        }
        if not untouched:
            raise DemoError("no holder with untouched ready vouchers left")
        key, vids = max(untouched.items(), key=lambda item: len(item[1]))
        self._used |= set(vids)
        self._holders.add(key[0])
        return key


class PaperTray:
    """New virtual paper (PDF pages, card images, tickets) since the last look."""

    def __init__(self, paper_dir: Path, out: Path) -> None:
        self.paper_dir = paper_dir
        self.out = out
        self._seen: set[Path] = set(self._files())

    def _files(self) -> list[Path]:
        if not self.paper_dir.exists():
            return []
        return sorted(p for p in self.paper_dir.rglob("*") if p.is_file())

    def collect(
        self, label: str, wait: Callable[[Callable[[], bool], float, str], None]
    ) -> list[str]:
        """Copy the new files to the output folder as ``<label>-<n>.<ext>``; returns their names."""
        wait(lambda: bool(self._new()), 30.0, f"virtual paper for {label}")
        copied = []
        for index, path in enumerate(self._new(), start=1):
            name = f"{label}-{index}{path.suffix}"
            shutil.copyfile(path, self.out / name)
            copied.append(name)
        self._seen |= set(self._files())
        return copied

    def _new(self) -> list[Path]:
        return [p for p in self._files() if p not in self._seen and p.suffix in (".pdf", ".png")]
