"""The outbox settling commits and releases: a 409 already_printed on commit is an alarm."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import OutboxOp, TxState
from kiosk.engine.outcomes import TxOutcome
from kiosk.registry.errors import Expired, NotFound, ReservedElsewhere


def ready_voucher(engine: Any) -> Any:
    engine.registry.add("V1", DocumentType.KK)
    return engine.registry._verified(engine.registry.vouchers["V1"])


def test_a_commit_refused_as_already_printed_is_a_double_print_alarm(engine: Any) -> None:
    v = ready_voucher(engine)
    real_commit = engine.registry.commit

    def printed_elsewhere_meanwhile(rid: str, **kwargs: Any) -> Any:
        engine.registry.vouchers["V1"].state = "committed"  # another kiosk's commit landed
        return real_commit(rid, **kwargs)

    engine.registry.commit = printed_elsewhere_meanwhile
    result = engine.transaction.run(v)
    assert result.outcome is TxOutcome.PRINTED  # the citizen has the paper
    record = engine.journal.get(result.txid)
    assert record.state is TxState.CONFLICT  # never a silent COMMITTED
    assert "elsewhere" in (record.reason or "")
    alarms = [e for e in engine.audit.entries() if e["event"] == "double_print"]
    assert [a["txid"] for a in alarms] == [result.txid]
    assert engine.journal.counts().get("conflict") == 1
    assert engine.journal.unfinished() == []  # nothing for recovery to redo
    assert engine.transaction.refusal("V1") is not None


def test_a_lost_commit_answer_retried_under_the_same_key_settles_as_committed(
    engine: Any,
) -> None:
    engine.registry.lose_commit_responses = 1  # the registry committed; the answer was lost
    result = engine.transaction.run(ready_voucher(engine))
    assert engine.journal.get(result.txid).state is TxState.PRINTED
    assert engine.outbox.flush(2.0)
    assert engine.journal.get(result.txid).state is TxState.COMMITTED
    assert [e for e in engine.audit.entries() if e["event"] == "double_print"] == []


def test_a_release_refused_for_another_reason_is_suspect(engine: Any) -> None:
    v = ready_voucher(engine)
    record = engine.journal.begin(v.vid, "kk", None)
    engine.journal.advance(record.txid, TxState.RESERVED, rid="R1")
    item = engine.journal.advance_with_outbox(
        record.txid, TxState.RELEASING, OutboxOp.RELEASE, {"reason": "test"}
    )

    def refuse(rid: str, **kwargs: Any) -> Any:
        raise ReservedElsewhere("held")

    engine.registry.release = refuse
    assert engine.outbox.deliver(item)
    assert engine.journal.get(record.txid).state is TxState.SUSPECT


@pytest.mark.parametrize("gone", [NotFound("no such reservation"), Expired("lease ran out")])
def test_a_release_of_a_lease_already_gone_settles_as_released(
    engine: Any, gone: Exception
) -> None:
    v = ready_voucher(engine)
    record = engine.journal.begin(v.vid, "kk", None)
    engine.journal.advance(record.txid, TxState.RESERVED, rid="R1")
    item = engine.journal.advance_with_outbox(
        record.txid, TxState.RELEASING, OutboxOp.RELEASE, {"reason": "test"}
    )

    def refuse(rid: str, **kwargs: Any) -> Any:
        raise gone

    engine.registry.release = refuse
    assert engine.outbox.deliver(item)
    assert engine.journal.get(record.txid).state is TxState.RELEASED
    assert [e for e in engine.audit.entries() if e["event"] == "suspect"] == []
