"""The store contract, on SQLite and on PostgreSQL alike (``queue_store`` is parametrised):
continuous numbers, idempotent issue, the call rule inside the transaction, the lifecycle,
transfers, bookings, feedback, alerts and PIN attempts."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.queue.models import Priority, QuotaExhausted, TicketStatus
from kiosk.queue.rules import Action, LifecycleCode, LifecycleError
from kiosk.queue.store import (
    Alert,
    Booking,
    BookingUsed,
    Feedback,
    IdempotencyConflict,
    IssueRequest,
    QueueStore,
    SlotFull,
)

DAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def later(minutes: float) -> datetime:
    return AT + timedelta(minutes=minutes)


def test_numbers_are_continuous_per_service_and_day(queue_store: QueueStore) -> None:
    s = queue_store
    numbers = [s.issue("A", DAY, priority=False, quota=1000, at=AT).number for _ in range(30)]
    assert numbers == list(range(1, 31))
    assert s.issue("B", DAY, priority=False, quota=10, at=AT).number == 1
    assert s.issue("A", DAY + timedelta(days=1), priority=False, quota=10, at=AT).number == 1
    assert s.issue("A", DAY, priority=True, quota=1000, at=AT).ticket_id == "20261123-A-031"
    assert s.issued_count("A", DAY) == 31


def test_issued_ticket_is_recorded_with_its_fields(queue_store: QueueStore) -> None:
    ticket = queue_store.issue("C", DAY, priority=Priority.IBU_HAMIL, quota=5, at=AT)
    assert queue_store.get(ticket.ticket_id) == ticket
    assert ticket.ticket_id == "20261123-C-001" and ticket.display_number == "C-001"
    assert ticket.priority is Priority.IBU_HAMIL and ticket.waiting and ticket.issued_at == AT
    assert queue_store.get("20261123-C-002") is None


def test_quota_refuses_without_recording(queue_store: QueueStore) -> None:
    for _ in range(3):
        queue_store.issue("A", DAY, priority=False, quota=3, at=AT)
    with pytest.raises(QuotaExhausted):
        queue_store.issue("A", DAY, priority=False, quota=3, at=AT)
    assert queue_store.issued_count("A", DAY) == 3
    assert queue_store.issue("A", DAY, priority=False, quota=4, at=AT).number == 4  # no gap


def test_same_client_and_key_give_the_same_ticket(queue_store: QueueStore) -> None:
    request = IssueRequest("A", DAY, AT, client="kiosk-1", key="touch-0001", quota=99)
    first = queue_store.record(request)
    again = queue_store.record(request)
    other_kiosk = queue_store.record(IssueRequest("A", DAY, AT, client="kiosk-2", key="touch-0001"))
    assert first.created and not again.created and again.ticket == first.ticket
    assert other_kiosk.created and other_kiosk.ticket.number == 2
    with pytest.raises(IdempotencyConflict):
        queue_store.record(IssueRequest("B", DAY, AT, client="kiosk-1", key="touch-0001"))
    assert queue_store.issued_count("B", DAY) == 0


def test_reopening_continues_the_sequence(store_factory) -> None:  # type: ignore[no-untyped-def]
    first = store_factory()
    for _ in range(5):
        first.issue("A", DAY, priority=False, quota=100, at=AT)
    first.close()
    assert store_factory().issue("A", DAY, priority=False, quota=100, at=AT).number == 6


def test_concurrent_writers_never_share_or_skip_a_number(store_factory) -> None:  # type: ignore[no-untyped-def]
    stores = [store_factory(), store_factory()]
    got: list[int] = []
    lock = threading.Lock()

    def issue_many(store: QueueStore, kiosk: str) -> None:
        for n in range(25):
            request = IssueRequest("A", DAY, AT, client=kiosk, key=f"k{n:04d}", quota=10_000)
            number = store.record(request).ticket.number
            with lock:
                got.append(number)

    threads = [
        threading.Thread(target=issue_many, args=(stores[i % 2], f"kiosk-{i}")) for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(got) == list(range(1, 101))


def test_concurrent_retries_of_one_key_record_one_ticket(store_factory) -> None:  # type: ignore[no-untyped-def]
    stores = [store_factory() for _ in range(4)]
    request = IssueRequest("A", DAY, AT, client="kiosk-1", key="same-touch", quota=99)
    results = []
    threads = [
        threading.Thread(target=lambda s=s: results.append(s.record(request))) for s in stores
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert {r.ticket.ticket_id for r in results} == {"20261123-A-001"}
    assert sum(r.created for r in results) == 1
    assert stores[0].issue("A", DAY, priority=None, quota=99, at=AT).number == 2  # no gap


def test_print_attempts_and_first_print_time(queue_store: QueueStore) -> None:
    ticket = queue_store.issue("A", DAY, priority=False, quota=10, at=AT)
    queue_store.record_print(ticket.ticket_id, printed=False, at=later(1 / 60))
    assert queue_store.get(ticket.ticket_id).printed_at is None  # type: ignore[union-attr]
    queue_store.record_print(ticket.ticket_id, printed=True, at=later(2 / 60))
    queue_store.record_print(ticket.ticket_id, printed=True, at=later(3 / 60))
    again = queue_store.get(ticket.ticket_id)
    assert again is not None and again.print_attempts == 3 and again.printed_at == later(2 / 60)


def test_call_next_follows_the_priority_rule(queue_store: QueueStore) -> None:
    s = queue_store
    for n in range(6):
        s.issue("A", DAY, priority=None, quota=99, at=later(n))
    for n in range(3):
        s.issue("A", DAY, priority=Priority.LANSIA, quota=99, at=later(10 + n))
    order = []
    for n in range(9):
        ticket = s.call_next("loket-1", ["A"], DAY, later(20 + n), every_n=2)
        assert ticket is not None and ticket.status is TicketStatus.CALLED
        order.append(("P" if ticket.priority else "R") + str(ticket.number))
        s.act(ticket.ticket_id, Action.DONE, "loket-1", later(20.5 + n))
    # the first priority ticket goes first; then 2 regular ones before each priority one
    assert order == ["P7", "R1", "R2", "P8", "R3", "R4", "P9", "R5", "R6"]
    assert s.call_next("loket-1", ["A"], DAY, later(40), every_n=2) is None


def test_two_counters_never_get_the_same_ticket(store_factory) -> None:  # type: ignore[no-untyped-def]
    stores = [store_factory(), store_factory()]
    for _ in range(40):
        stores[0].issue("A", DAY, priority=False, quota=99, at=AT)
    called: list[str] = []
    lock = threading.Lock()

    def counter(store: QueueStore, name: str) -> None:
        while (ticket := store.call_next(name, ["A"], DAY, later(5), every_n=3)) is not None:
            with lock:
                called.append(ticket.ticket_id)
            store.act(ticket.ticket_id, Action.DONE, name, later(6))

    threads = [
        threading.Thread(target=counter, args=(stores[i % 2], f"loket-{i}")) for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(called) == sorted(f"20261123-A-{n:03d}" for n in range(1, 41))


def test_lifecycle_and_its_refusals(queue_store: QueueStore) -> None:
    s = queue_store
    first = s.issue("A", DAY, priority=None, quota=99, at=AT)
    s.issue("A", DAY, priority=None, quota=99, at=AT)
    called = s.call_next("loket-1", ["A"], DAY, later(1), every_n=3)
    assert called is not None and called.ticket_id == first.ticket_id
    with pytest.raises(LifecycleError) as busy:
        s.call_next("loket-1", ["A"], DAY, later(2), every_n=3)
    assert busy.value.code is LifecycleCode.COUNTER_BUSY
    with pytest.raises(LifecycleError) as other:
        s.act(first.ticket_id, Action.START, "loket-2", later(2))
    assert other.value.code is LifecycleCode.NOT_YOUR_TICKET
    recalled = s.recall("loket-1", DAY, later(3))
    assert recalled.recalls == 1 and recalled.last_called_at == later(3)
    started = s.act(first.ticket_id, Action.START, "loket-1", later(4))
    assert started is not None and started.status is TicketStatus.SERVING
    assert s.act(first.ticket_id, Action.START, "loket-1", later(5)) == started  # idempotent
    with pytest.raises(LifecycleError) as nothing:
        s.recall("loket-1", DAY, later(5))
    assert nothing.value.code is LifecycleCode.NOTHING_TO_RECALL
    with pytest.raises(LifecycleError) as wrong:
        s.act(first.ticket_id, Action.NO_SHOW, "loket-1", later(5))
    assert wrong.value.code is LifecycleCode.WRONG_STATE
    done = s.act(first.ticket_id, Action.DONE, "loket-1", later(9))
    assert done is not None and done.status is TicketStatus.SERVED
    stored = s.get(first.ticket_id)
    assert stored is not None and stored.started_at == later(4) and stored.finished_at == later(9)
    assert s.act(first.ticket_id, Action.DONE, "loket-1", later(10)) == stored
    assert s.act("20261123-A-404", Action.DONE, "loket-1", later(10)) is None
    second = s.call_next("loket-1", ["A"], DAY, later(11), every_n=3)
    assert second is not None
    gone = s.act(second.ticket_id, Action.NO_SHOW, "loket-1", later(12))
    assert gone is not None and gone.status is TicketStatus.NO_SHOW
    assert s.at_counters(DAY) == {}
    assert [t.ticket_id for t in s.recent_calls(DAY, 5)] == [second.ticket_id, first.ticket_id]


def test_transfer_keeps_the_letter_number_and_issue_time(queue_store: QueueStore) -> None:
    s = queue_store
    s.issue("B", DAY, priority=None, quota=99, at=later(-30))  # B-001: waiting since earlier
    a1 = s.issue("A", DAY, priority=None, quota=99, at=later(-60))
    s.issue("B", DAY, priority=None, quota=99, at=later(-10))  # B-002: after A-001's issue
    called = s.call_next("loket-1", ["A"], DAY, AT, every_n=3)
    assert called is not None
    moved = s.transfer(a1.ticket_id, "B", "loket-1", later(1))
    assert moved is not None
    assert moved.ticket_id == "20261123-A-001-T1"
    assert (moved.display_number, moved.service) == ("A-001", "B")
    assert moved.issued_at == a1.issued_at and moved.hop == 1 and moved.waiting
    old = s.get(a1.ticket_id)
    assert old is not None and old.status is TicketStatus.TRANSFERRED
    assert old.transferred_to == moved.ticket_id
    first_in_b = s.call_next("loket-2", ["B"], DAY, later(2), every_n=3)
    assert first_in_b is not None and first_in_b.ticket_id == moved.ticket_id  # oldest issue
    assert s.ahead(s.get("20261123-B-002"), later(2)) == 1  # type: ignore[arg-type]
    with pytest.raises(LifecycleError):
        s.transfer(a1.ticket_id, "C", "loket-1", later(3))  # already transferred
    assert s.issued_count("B", DAY) == 2  # a transfer takes no number of the other service


def test_waiting_counts_completions_and_reset(queue_store: QueueStore) -> None:
    s = queue_store
    tickets = [s.issue("A", DAY, priority=n % 3 == 0, quota=99, at=later(n)) for n in range(1, 7)]
    assert s.waiting_count("A", DAY) == 6
    assert [s.ahead(t, later(10)) for t in tickets] == [0, 1, 0, 3, 4, 1]
    for minutes, ticket in zip((11, 13, 16, 20), tickets[:4], strict=True):
        s.mark_served(ticket.ticket_id, later(minutes))
    assert s.completions("A", DAY, 3) == [later(13), later(16), later(20)]
    s.issue("B", DAY, priority=False, quota=9, at=AT)
    assert s.waiting_counts(DAY) == {"A": 2, "B": 1}
    assert s.reset(DAY, "A", later(30)) == 2
    assert s.waiting_counts(DAY) == {"B": 1}
    assert s.reset(DAY, None, later(30)) == 1
    assert s.issue("A", DAY, priority=False, quota=99, at=AT).number == 7  # never reused
    assert len(s.tickets_of_day(DAY)) == 8


def test_bookings_fill_their_slot_and_check_in_once(queue_store: QueueStore) -> None:
    s = queue_store
    slot = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

    def booking(code: str) -> Booking:
        return Booking(code, "A", DAY, slot, slot + timedelta(minutes=30), AT, "portal")

    assert s.book(booking("BK1"), 2, "req-1") == (booking("BK1"), True)
    assert s.book(booking("BK9"), 2, "req-1") == (booking("BK1"), False)  # same request
    s.book(booking("BK2"), 2, None)
    with pytest.raises(SlotFull):
        s.book(booking("BK3"), 2, None)
    assert s.booking("BK3") is None
    check_in = IssueRequest("A", DAY, later(50), client="kiosk-1", key="scan-1", slot_start=slot)
    issued = s.check_in("BK1", check_in)
    assert issued.created and issued.ticket.booking_code == "BK1"
    assert s.check_in("BK1", check_in).ticket == issued.ticket  # the same kiosk retrying
    with pytest.raises(BookingUsed):
        s.check_in("BK1", IssueRequest("A", DAY, later(51), client="kiosk-2", key="scan-9"))
    stored = s.booking("BK1")
    assert stored is not None and stored.ticket_id == issued.ticket.ticket_id
    # a due booking is called before walk-ins that waited longer
    s.issue("A", DAY, priority=None, quota=99, at=AT)
    first = s.call_next("loket-1", ["A"], DAY, slot + timedelta(minutes=1), every_n=3)
    assert first is not None and first.ticket_id == issued.ticket.ticket_id


def test_feedback_alerts_pins_and_secrets(queue_store: QueueStore) -> None:
    s = queue_store
    feedback = Feedback(DAY, "A", 4, ("cepat",), AT, "kiosk-1", ticket_id="20261123-A-001")
    saved, created = s.add_feedback(feedback)
    assert created and saved.id > 0
    again, created_again = s.add_feedback(feedback)
    assert not created_again and again.id == saved.id
    s.add_feedback(Feedback(DAY, "B", 2, (), AT, "kiosk-1", txid="tx-1"))
    assert [f.score for f in s.feedback_of_day(DAY)] == [4, 2]
    alert = s.add_alert(Alert(DAY, "help", "kiosk-1", "menu", AT))
    assert [a.id for a in s.alerts(DAY, open_only=True)] == [alert.id]
    acked = s.acknowledge(alert.id, "loket-1", later(1))
    assert acked is not None and acked.acknowledged_by == "loket-1"
    assert s.alerts(DAY, open_only=True) == [] and len(s.alerts(DAY, open_only=False)) == 1
    assert s.pin_attempts("loket-1") == (0, None)
    s.save_pin_attempts("loket-1", 5, later(15))
    assert s.pin_attempts("loket-1") == (5, later(15))
    assert s.secret("sessions", b"first") == b"first"
    assert s.secret("sessions", b"second") == b"first"


def test_naive_times_are_refused(queue_store: QueueStore) -> None:
    with pytest.raises(ValueError):
        queue_store.issue("A", DAY, priority=False, quota=9, at=datetime(2026, 11, 23, 9, 0))
    assert queue_store.issued_count("A", DAY) == 0


def test_one_counter_pressing_twice_at_once_gets_one_ticket(store_factory) -> None:  # type: ignore[no-untyped-def]
    stores = [store_factory() for _ in range(4)]
    for _ in range(20):
        stores[0].issue("A", DAY, priority=None, quota=99, at=AT)
    barrier = threading.Barrier(8)
    called: list[str] = []
    busy: list[LifecycleCode] = []

    def press(store: QueueStore) -> None:
        barrier.wait()
        try:
            ticket = store.call_next("loket-1", ["A"], DAY, later(1), every_n=3)
        except LifecycleError as exc:
            busy.append(exc.code)
        else:
            assert ticket is not None
            called.append(ticket.ticket_id)

    threads = [threading.Thread(target=press, args=(stores[i % 4],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(called) == 1 and busy == [LifecycleCode.COUNTER_BUSY] * 7
    assert list(stores[0].at_counters(DAY)) == ["loket-1"]
    assert stores[0].waiting_count("A", DAY) == 19
