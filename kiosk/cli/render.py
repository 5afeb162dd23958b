"""``kiosk render DOC (--data FILE.json | --sample [--seed N]) --out FILE.pdf``.

Renders one document to PDF from the registry's envelope JSON (``--data``) or from synthetic
data (``--sample``; ``--data-out`` saves that envelope). ``--png DIR`` also writes page images
with ``pdftoppm``. Exit 1 with the field's path when the data is invalid.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.cli.common import start_logging
from kiosk.domain.documents import DocumentType

SAMPLE_FAMILIES = 12
MAX_DATA_BYTES = 1_000_000
PNG_DPI = {"a4": 150, "card": 400}  # a card is small: more pixels to inspect it


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc", choices=[d.value for d in DocumentType], help="document type")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="envelope JSON (as the registry returns it)")
    source.add_argument("--sample", action="store_true", help="use synthetic sample data")
    parser.add_argument("--seed", type=int, default=1, help="seed for --sample (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--data-out", type=Path, help="also write the envelope JSON used")
    parser.add_argument("--png", type=Path, metavar="DIR", help="also write page PNGs here")
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def sample_envelope(doc: DocumentType, seed: int) -> dict[str, Any]:
    """The first synthetic document of type ``doc`` for ``seed``, with a verification QR
    signed by the simulator key (so the printed QR verifies like the registry simulator's)."""
    from kiosk.domain.document_claim import DocumentClaim, mask_name, mint_document_claim
    from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
    from kiosk.synthetic import generate_population

    population = generate_population(seed, SAMPLE_FAMILIES)
    ready = next(d for d in population.documents if d.doc is doc)
    document_id = f"S-{doc.value.upper()}-{seed % 1_000_000:06d}"
    claim = DocumentClaim(
        document_id=document_id,
        doc=doc,
        issued_on=ready.issued_on,
        holder_masked=mask_name(ready.holder_name),
        kid=SIM_KID,
    )
    return ready.envelope(document_id, mint_document_claim(claim, sim_voucher_private_key()))


def _load(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:  # bounded: --data /dev/zero must not fill memory
            raw = handle.read(MAX_DATA_BYTES + 1)
    except OSError as exc:
        print(f"kiosk render: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None
    if len(raw) > MAX_DATA_BYTES:
        print(f"kiosk render: {path} is larger than {MAX_DATA_BYTES} bytes", file=sys.stderr)
        return None
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"kiosk render: {path} is not JSON: {exc}", file=sys.stderr)
        return None
    except RecursionError:
        print(f"kiosk render: {path} is nested too deeply", file=sys.stderr)
        return None
    if not isinstance(value, dict):
        print(f"kiosk render: {path} must hold a JSON object", file=sys.stderr)
        return None
    return value


def write_pngs(pdf: Path, directory: Path, stem: str, dpi: int) -> list[Path]:
    """Page images ``DIR/<stem>-<page>.png`` via pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise FileNotFoundError("pdftoppm (poppler-utils) is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        prefix = Path(scratch) / stem
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        written = []
        for page in sorted(Path(scratch).glob(f"{stem}-*.png")):
            target = directory / page.name
            shutil.move(str(page), target)
            written.append(target)
    return written


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    from printing.documents import DocumentDataError, render

    doc = DocumentType(args.doc)
    envelope = sample_envelope(doc, args.seed) if args.sample else _load(args.data)
    if envelope is None:
        return 1
    if envelope.get("type") != doc.value:
        print(
            f"kiosk render: type: the data is a {envelope.get('type')!r} document, "
            f"not {doc.value!r}",
            file=sys.stderr,
        )
        return 1
    try:
        rendered = render(envelope)
    except DocumentDataError as exc:
        print(
            f"kiosk render: invalid data at {exc.path or '(envelope)'}: {exc.message}",
            file=sys.stderr,
        )
        return 1
    try:
        if args.data_out:
            args.data_out.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(envelope, ensure_ascii=False, indent=2) + "\n"
            args.data_out.write_text(text, encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(rendered.pdf)
    except OSError as exc:
        print(f"kiosk render: cannot write: {exc}", file=sys.stderr)
        return 1
    print(
        f"{args.out}: {rendered.pages} page(s), {len(rendered.pdf)} bytes, sha256 {rendered.sha256}"
    )
    if args.png:
        try:
            pages = write_pngs(args.out, args.png, args.out.stem, PNG_DPI[doc.media.value])
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"kiosk render: could not write PNGs: {exc}", file=sys.stderr)
            return 1
        for page in pages:
            print(page)
    return 0
