"""The reader port: input handling, grayscale, downscale policy, formats, health, registry."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.codes.backends import make_reader
from devices.codes.preprocess import ImageInputError, prepare
from devices.codes.symbols import SymbolError, render_symbol
from devices.drivers import DriverContext, DriverError, build_driver
from devices.model import DeviceKind, DeviceState, HealthLevel
from devices.ports import CodeFormat

BACKENDS = ("zxing", "zbar")
TEXT = "ADM1.eyJ2IjoxfQ.c2lnbmF0dXJl"


def on_canvas(
    symbol: np.ndarray, width: int = 640, height: int = 480, at: tuple[int, int] = (40, 40)
) -> np.ndarray:
    canvas = np.full((height, width), 235, dtype=np.uint8)
    h, w = symbol.shape
    canvas[at[1] : at[1] + h, at[0] : at[0] + w] = symbol
    return canvas


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", [CodeFormat.QR, CodeFormat.CODE128])
def test_clean_codes_decode_exactly(backend: str, kind: CodeFormat) -> None:
    text = TEXT if kind is CodeFormat.QR else "3201014506900001"
    codes = make_reader(backend).decode(on_canvas(render_symbol(text, kind, 3)))
    assert [(c.format, c.text) for c in codes] == [(kind, text)]
    assert len(codes[0].points) >= 2


def test_zxing_reads_pdf417() -> None:
    text = "3201014506900001|ADM|KK|SYNTHETIC"
    codes = make_reader("zxing").decode(on_canvas(render_symbol(text, CodeFormat.PDF417, 3)))
    assert [(c.format, c.text) for c in codes] == [(CodeFormat.PDF417, text)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_bgr_and_bgra_are_converted_to_grey_not_read_as_one_channel(backend: str) -> None:
    # A pure blue code on white is invisible in the blue channel alone: only a real grayscale
    # conversion shows it (pyzbar handed a BGR array reads a single channel).
    symbol = render_symbol(TEXT, CodeFormat.QR, 4)
    grey = on_canvas(symbol)
    bgr = np.full((*grey.shape, 3), 255, dtype=np.uint8)
    bgr[grey < 128] = (255, 0, 0)
    reader = make_reader(backend)
    assert [c.text for c in reader.decode(bgr)] == [TEXT]
    bgra = cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)
    assert [c.text for c in reader.decode(bgra)] == [TEXT]


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_frames_are_downscaled_and_points_mapped_back(backend: str) -> None:
    symbol = render_symbol(TEXT, CodeFormat.QR, 8)
    at = (1100, 300)
    frame = on_canvas(symbol, 1920, 1080, at)
    prepared = prepare(frame)
    assert prepared.gray.shape == (720, 1280)
    codes = make_reader(backend).decode(frame)
    assert [c.text for c in codes] == [TEXT]
    xs = [p[0] for p in codes[0].points]
    ys = [p[1] for p in codes[0].points]
    quiet = 4 * 8
    # Corners in full-resolution pixels: inside the symbol, near its (quiet-zone-less) corners.
    assert at[0] + quiet - 12 <= min(xs) and max(xs) <= at[0] + symbol.shape[1] - quiet + 12
    assert at[1] + quiet - 12 <= min(ys) and max(ys) <= at[1] + symbol.shape[0] - quiet + 12


def test_formats_setting_limits_what_is_reported() -> None:
    image = on_canvas(render_symbol("3201014506900001", CodeFormat.CODE128, 3))
    from devices.codes.zxing_reader import ZxingReader

    qr_only = ZxingReader("code_reader", ZxingReader.Settings(formats=(CodeFormat.QR,)))
    assert qr_only.decode(image) == []
    assert make_reader("zxing").decode(image) != []


@pytest.mark.parametrize(
    "bad",
    [
        "not an array",
        np.zeros((0, 0), dtype=np.uint8),
        np.zeros((10, 10), dtype=np.float32),
        np.zeros((10, 10, 2), dtype=np.uint8),
        np.zeros((10,), dtype=np.uint8),
    ],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_input_raises_its_own_error(backend: str, bad: object) -> None:
    with pytest.raises(ImageInputError):
        make_reader(backend).decode(bad)


def test_unknown_backend_and_bad_symbols() -> None:
    with pytest.raises(ValueError, match="unknown decoder"):
        make_reader("tesseract")
    with pytest.raises(SymbolError):
        render_symbol("", CodeFormat.QR)
    with pytest.raises(SymbolError):
        render_symbol("x" * 5000, CodeFormat.QR)


@pytest.mark.parametrize("backend", BACKENDS)
def test_device_face_and_health(backend: str) -> None:
    reader = make_reader(backend)
    events: list[object] = []
    reader.subscribe(events.append)
    reader.open()
    assert reader.status.state is DeviceState.IDLE
    internal = reader.check_health(HealthLevel.INTERNAL)
    external = reader.check_health(HealthLevel.EXTERNAL)
    assert internal.ok and external.ok, external.text
    assert external.details["decoded"] == "ADM-HEALTH-CHECK"
    reader.close()
    assert reader.status.state is DeviceState.CLOSED
    assert len(events) == 2


def test_built_through_the_driver_registry(tmp_path: Path) -> None:
    context = DriverContext(state_dir=tmp_path)
    reader = build_driver(
        DeviceKind.CODE_READER, "code_reader", "zxing", {"max_side": 960}, context
    )
    assert reader.backend == "zxing" and reader.settings.max_side == 960
    zbar = build_driver(DeviceKind.CODE_READER, "code_reader", "zbar", {}, context)
    assert zbar.backend == "zbar"
    with pytest.raises(DriverError, match=r"devices\.code_reader\.settings\.binarizer"):
        build_driver(
            DeviceKind.CODE_READER, "code_reader", "zxing", {"binarizer": "magic"}, context
        )
    with pytest.raises(DriverError):
        build_driver(DeviceKind.CODE_READER, "code_reader", "zbar", {"surprise": 1}, context)


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_reader_shared_by_threads(backend: str) -> None:
    reader = make_reader(backend)
    images = [on_canvas(render_symbol(f"ADM1.thread-{i}", CodeFormat.QR, 4)) for i in range(4)]
    results: dict[int, list[str]] = {}

    def work(i: int) -> None:
        results[i] = [c.text for _ in range(5) for c in reader.decode(images[i])]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results == {i: [f"ADM1.thread-{i}"] * 5 for i in range(4)}


def test_overlay_outlines_codes_without_their_text() -> None:
    from devices.codes.overlay import draw_codes

    image = cv2.cvtColor(on_canvas(render_symbol(TEXT, CodeFormat.QR, 4)), cv2.COLOR_GRAY2BGR)
    codes = make_reader("zxing").decode(image)
    drawn = draw_codes(image, codes)
    assert drawn.shape == image.shape and not np.array_equal(drawn, image)
    assert np.array_equal(draw_codes(image, []), image)
    changed = np.argwhere((drawn != image).any(axis=2))
    xs = [p[0] for p in codes[0].points]
    # Only around the code: nothing drawn far to its right (where text would go).
    assert changed[:, 1].max() <= max(xs) + 10


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("upright", [False, True])
def test_barcode_points_in_frame_coordinates(backend: str, upright: bool) -> None:
    # 720 rows: zxing's row pass reads every other row (or column) here; points map back.
    symbol = render_symbol("3201014506900001", CodeFormat.CODE128, 3)
    if upright:
        symbol = np.ascontiguousarray(np.rot90(symbol))
    at = (700, 150)
    frame = on_canvas(symbol, 1280, 720, at)
    codes = make_reader(backend).decode(frame)
    assert [c.text for c in codes] == ["3201014506900001"]
    for x, y in codes[0].points:
        assert at[0] - 4 <= x <= at[0] + symbol.shape[1] + 4
        assert at[1] - 4 <= y <= at[1] + symbol.shape[0] + 4


def test_skewed_pdf417_is_straightened_and_read() -> None:
    from devices.camera.scene import place, random_pose, textured_background
    from devices.codes.zxing_reader import ZxingReader

    rng = np.random.default_rng(9)
    background = textured_background(1280, 720, rng)
    samples = []
    for i in range(30):
        text = f"32010145069{i:05d}|ADM|KK|SYNTHETIC"
        pose = random_pose(rng, 0.4)  # hand-held: most are tilted more than 5 degrees
        samples.append((text, place(background, render_symbol(text, CodeFormat.PDF417, 4), pose)))

    def reads(reader: ZxingReader) -> int:
        return sum(any(c.text == text for c in reader.decode(img)) for text, img in samples)

    plain = reads(ZxingReader(settings=ZxingReader.Settings(straighten_pdf417=False)))
    straightened = reads(ZxingReader())
    assert straightened >= 26  # measured 28 of 30
    assert straightened >= plain + 3  # measured 23 of 30 without straightening
    for _text, img in samples[:5]:
        for code in ZxingReader().decode(img):  # corners map back onto the card
            assert all(0 <= x < 1280 and 0 <= y < 720 for x, y in code.points)
