"""What a production kiosk refuses to trust: the rules ``kiosk config check`` and start-up apply.

A config is checked for the mode it runs in. In simulator mode (``--simulate``) the simulator's
key, drivers and loopback ``http://`` registry are what the config is for. Without it, a config
that trusts a simulator key (any key whose public half is the simulator's derived key, under any
kid), names a simulator driver, talks ``http://`` to the registry, or lacks the document-claim keys
or the audit key is refused: each problem is reported with its config path, and the kiosk does
not start (exit 2).
"""

from __future__ import annotations

from kiosk.config.loader import ConfigError
from kiosk.config.models import KioskConfig

SIM_KEY = "the registry simulator's key (kiosk/domain/sim_keys.py); trusted in simulator mode only"


def simulator_driver(kind: str, driver: str) -> bool:
    """True when ``driver`` of device ``kind`` is implemented by a simulator module."""
    from devices.drivers import DRIVERS
    from devices.model import DeviceKind

    try:
        target = DRIVERS[DeviceKind(kind)][driver]
    except (KeyError, ValueError):
        return False  # an unknown driver is reported when the devices are built
    return "sim" in target.split(":")[0].split(".")


def production_problems(config: KioskConfig) -> list[tuple[str, str]]:
    """``(path, message)`` for everything a production kiosk must not run with."""
    from kiosk.domain.sim_keys import is_simulator_key
    from kiosk.domain.voucher import public_key_from_text

    problems: list[tuple[str, str]] = []
    for table, keys in (("keys", config.vouchers.keys), ("claim_keys", config.vouchers.claim_keys)):
        for kid, text in keys.items():
            if is_simulator_key(public_key_from_text(text)):
                problems.append((f"vouchers.{table}.{kid}", SIM_KEY))
    if not config.vouchers.claim_keys:
        problems.append(
            ("vouchers.claim_keys", "required: the keys that sign documents' verification QR")
        )
    if not config.registry.url.startswith("https://"):
        problems.append(("registry.url", "must be https:// (http:// is for the simulator)"))
    for slot in ("camera", "code_reader", "receipt", "document", "card"):
        device = getattr(config.devices, slot)
        if device is not None and simulator_driver(slot, device.driver):
            problems.append((f"devices.{slot}.driver", f"{device.driver!r} is a simulator driver"))
    for name, scanner in config.devices.scanners.items():
        if simulator_driver("scanner", scanner.driver):
            problems.append(
                (f"devices.scanners.{name}.driver", f"{scanner.driver!r} is a simulator driver")
            )
    if config.audit.key_file is None:
        problems.append(("audit.key_file", "required: the key of the audit log's HMAC chain"))
    return problems


def check_mode(config: KioskConfig, *, simulate: bool) -> KioskConfig:
    """``config`` if it may run in this mode; else :class:`ConfigError` naming each problem."""
    if simulate:
        return config
    problems = production_problems(config)
    if problems:
        source = str(config.source) if config.source is not None else "<config>"
        raise ConfigError(source, [(path, f"{msg} (production mode)") for path, msg in problems])
    return config
