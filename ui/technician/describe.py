"""Technician wording of the core's facts, in the chosen language: device names, states,
conditions, supplies, faults with their time (and zone: WIB, WITA, WIT), health checks.

Every word comes from the catalogue; what the catalogue does not know (a new counter's name,
a fault code nobody translated yet) is shown as the code it is, never as an English sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo

from kiosk.diagnose.checks import CheckResult, DeviceReport
from kiosk.technician.device_errors import LastError
from kiosk.technician.overview import conditions
from kiosk.technician.supplies import Supply
from ui.i18n.catalog import Catalog

Text = Callable[..., str]


class Describe:
    def __init__(self, catalog: Catalog, language: str, tz: tzinfo) -> None:
        self.catalog = catalog
        self.language = language
        self.tz = tz

    def t(self, key: str, **values: object) -> str:
        return self.catalog.text(key, self.language, **values)

    def _known(self, key: str) -> bool:
        return self.catalog.has(key)

    def device(self, name: str) -> str:
        key = f"tech_device_{name}"
        return self.t(key) if self._known(key) else name

    def state(self, state: str) -> str:
        key = f"tech_state_{state}"
        return self.t(key if self._known(key) else "tech_state_unknown")

    def conditions(self, keys: Iterable[str]) -> str:
        return ", ".join(self.t(f"tech_cond_{key}") for key in keys)

    def counter(self, name: str) -> str:
        key = f"tech_counter_{name}"
        return self.t(key) if self._known(key) else name

    def supply(self, supply: Supply) -> str:
        what_key = f"tech_supply_{supply.what}"
        if self._known(what_key):
            what = self.t(what_key)
        else:
            what = self.t("tech_supply_marker", name=supply.what.replace("_", " "))
        if supply.level is not None:
            key = f"tech_level_{supply.level}"
            amount = self.t(key if self._known(key) else "tech_level_unknown")
        elif supply.count is not None and supply.low_at is not None:
            amount = self.t("tech_count_low_at", n=supply.count, low=supply.low_at)
        elif supply.count is not None:
            amount = self.t("tech_count_left", n=supply.count)
        elif supply.percent is not None:
            amount = f"{supply.percent} %"
        else:
            amount = self.t("tech_level_some" if supply.some_left else "tech_level_unknown")
        return f"{what}: {amount}"

    def supplies(self, supplies: Iterable[Supply]) -> str:
        return "\n".join(self.supply(s) for s in supplies) or self.t("tech_none")

    def moment(self, at: datetime, now: datetime) -> str:
        """``09:42 WIB`` today, ``23-11-2026 09:42 WIB`` another day (the office's zone)."""
        local, today = at.astimezone(self.tz), now.astimezone(self.tz)
        zone = local.tzname() or local.strftime("%z")
        shown = (
            local.strftime("%H:%M")
            if local.date() == today.date()
            else (local.strftime("%d-%m-%Y %H:%M"))
        )
        return f"{shown} {zone}"

    def fault(self, code: str) -> str:
        key = f"tech_fault_{code}"
        return self.t(key) if self._known(key) else self.t("tech_fault_other", code=code)

    def last_error(self, error: LastError | None, now: datetime) -> str:
        if error is None:
            return self.t("tech_none")
        return self.t(
            "tech_error_at", what=self.fault(error.fault.code), when=self.moment(error.at, now)
        )

    def device_health(self, report: DeviceReport) -> str:
        """A device's health in words: its state and conditions (the driver's own English
        line stays in the technician log, and on the English page)."""
        if self.language == "en":
            return report.health.text
        words = [self.state(report.state)]
        found = conditions(report.status)
        if found:
            words.append(self.conditions(found))
        if not report.health.ok and not found:
            words.append(self.t("tech_check_failed"))
        return ", ".join(words)

    def check(self, check: CheckResult) -> str:
        if self.language == "en":
            return check.text
        if not check.ok:
            return self.t("tech_check_failed")
        details = check.details
        if check.name == "registry" and "latency_ms" in details:
            return self.t(
                "tech_check_registry",
                ms=f"{details['latency_ms']:.0f}",
                skew=f"{details['clock_skew_s']:+.1f}",
            )
        if check.name == "disk" and "free_mb" in details:
            return self.t("tech_check_disk", mb=f"{details['free_mb']:,.0f}".replace(",", "."))
        key = f"tech_check_{check.name}"
        return self.t(key) if self._known(key) else self.t("tech_yes")
