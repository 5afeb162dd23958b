from kiosk.config import load_config, repo_root
from kiosk.config.models import DeviceConfig, DevicesSettings
from kiosk.config.simulate import simulated, simulated_devices


def test_production_config_becomes_simulated_with_its_shape() -> None:
    config = load_config(repo_root() / "config" / "kiosk.toml")
    sim = simulated(config).devices
    for slot in ("camera", "receipt", "document", "card"):
        device = getattr(sim, slot)
        assert device.driver == "sim"
        assert device.settings == {}  # a USB vendor id means nothing to a simulator
    assert sim.code_reader == config.devices.code_reader  # software, used as configured


def test_absent_and_disabled_slots_stay_so() -> None:
    config = load_config(repo_root() / "config" / "kiosk.toml")
    card = config.devices.card.model_copy(update={"enabled": False})
    devices = config.devices.model_copy(update={"camera": None, "card": card})
    sim = simulated(config.model_copy(update={"devices": devices})).devices
    assert sim.camera is None
    assert sim.card.driver == "sim" and sim.card.enabled is False


def test_simulator_settings_are_kept() -> None:
    config = load_config(repo_root() / "config" / "simulator.toml")
    assert simulated(config).devices == config.devices


def test_scanners_get_their_simulators_with_framing_kept_and_hardware_dropped() -> None:
    devices = DevicesSettings(
        scanners={
            "wedge": DeviceConfig(driver="hid-wedge", settings={
                "device": "/dev/input/by-id/usb-X-event-kbd", "terminator": "tab"}),
            "counter": DeviceConfig(driver="serial", enabled=False, settings={
                "device": "/dev/ttyACM0", "baudrate": 115200, "suffix": "\r\n"}),
        }
    )  # fmt: skip
    simulated = simulated_devices(devices).scanners
    assert simulated["wedge"] == DeviceConfig(driver="sim-wedge", settings={"terminator": "tab"})
    assert simulated["counter"] == DeviceConfig(
        driver="sim-serial", enabled=False, settings={"suffix": "\r\n"}
    )
