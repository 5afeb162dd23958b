"""``kiosk voucher verify TOKEN`` and ``kiosk voucher mint`` (simulator key only)."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import UTC, datetime, timedelta

from kiosk.cli.common import add_config_option, load_or_report
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import (
    MAX_LIFETIME,
    VoucherError,
    VoucherPayload,
    mint_token,
    public_key_from_text,
    verify_token,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    verify = sub.add_parser("verify", help="check a token offline; print its payload")
    add_config_option(verify)
    verify.add_argument("token")
    mint = sub.add_parser("mint", help="sign a synthetic voucher with the simulator's key")
    mint.add_argument("--doc", choices=[d.value for d in DocumentType], default="kk")
    mint.add_argument("--vid", default=None, help="voucher id (default: random)")
    mint.add_argument(
        "--valid-hours", type=float, default=72.0, help="at most 2160 (90 days, MAX_LIFETIME)"
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "mint":
        if not 0 < args.valid_hours * 3600 <= MAX_LIFETIME.total_seconds():
            print(f"--valid-hours must be in (0, {MAX_LIFETIME.days * 24}]", file=sys.stderr)
            return 2
        now = datetime.now(UTC).replace(microsecond=0)
        payload = VoucherPayload(
            vid=args.vid or f"V{secrets.token_hex(6).upper()}",
            doc=DocumentType(args.doc),
            iat=now,
            exp=now + timedelta(hours=args.valid_hours),
            kid=SIM_KID,
        )
        print(mint_token(payload, sim_voucher_private_key()))
        return 0
    config = load_or_report(args.config)
    if config is None:
        return 2
    keys = {kid: public_key_from_text(text) for kid, text in config.vouchers.keys.items()}
    try:
        payload = verify_token(
            args.token, keys, clock_skew=timedelta(seconds=config.vouchers.clock_skew_s)
        )
    except VoucherError as exc:
        print(exc.code.value)
        print(exc.detail, file=sys.stderr)
        return 1
    print(
        json.dumps(
            {
                "v": payload.v,
                "vid": payload.vid,
                "doc": payload.doc.value,
                "iat": payload.iat.isoformat(),
                "exp": payload.exp.isoformat(),
                "kid": payload.kid,
            },
            indent=2,
        )
    )
    return 0
