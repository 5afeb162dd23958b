"""Whole kiosks from build_kiosk with ``[queue] server``: tickets through the real queue server
on the simulated receipt printer's virtual paper, the document path unaffected when the queue
server is down, "Panggil petugas" reaching the counter pages (or failing without holding the
kiosk), and the survey's answers in the office's report."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.devices import wait_for
from fakes.kiosks import fast_sim_config, started_kiosk
from fakes.office import CLIENTS, Server, office_config
from fakes.office import Clock as ServerClock

from kiosk.bootstrap import Kiosk
from kiosk.config.models import KioskConfig
from kiosk.engine.office_queue import OfficeQueueDesk
from kiosk.engine.view import (
    Back,
    CallStaff,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    EnterPin,
    Finish,
    MenuOption,
    Rate,
    Screen,
    SessionView,
    Touch,
)
from kiosk.office.server import build_office, start_in_thread
from kiosk.queue.sqlite_store import SqliteTicketStore

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    store = SqliteTicketStore(tmp_path / "office.sqlite")
    clock = ServerClock()
    running = start_in_thread(build_office(office_config(), store, CLIENTS, clock=clock))
    yield Server(running, store, clock)
    running.stop()
    store.close()


def with_server(tmp_path: Path, url: str, client_id: str = "kiosk-1") -> KioskConfig:
    config = fast_sim_config(families=4)
    key_file = tmp_path / f"{client_id}.key"
    key_file.write_text(CLIENTS[client_id][1] + "\n")
    queue = config.queue.model_copy(
        update={"server": url, "client_id": client_id, "key_file": key_file, "timeout_ms": 1500}
    )
    return config.model_copy(update={"queue": queue})


def drive(kiosk: Kiosk, *intents: Any) -> SessionView:
    for intent in intents:
        kiosk.session.send(intent)
    assert kiosk.session.wait_idle(60.0)
    return kiosk.session.view


def test_a_kiosk_issues_through_the_queue_server_on_its_own_paper(
    tmp_path: Path, server: Server
) -> None:
    with started_kiosk(tmp_path / "k1", config=with_server(tmp_path, server.url)) as kiosk:
        assert isinstance(kiosk.desk, OfficeQueueDesk)
        view = drive(kiosk, Touch(), ChooseMenu(MenuOption.QUEUE))
        assert [s.code for s in view.services] == ["A", "B", "S", "E"]  # the server's catalogue
        view = drive(kiosk, ChooseService("S"))
        assert view.screen is Screen.TICKET and view.ticket is not None
        assert view.ticket.number == "S-001" and view.ticket.printed
        tickets = sorted((kiosk.paper_dir).rglob("*.png"))
        assert tickets, "the simulated receipt printer put out no ticket"
    assert server.store.waiting_counts(server.clock().date()) == {"S": 1}


def test_the_document_path_works_while_the_queue_server_is_down(tmp_path: Path) -> None:
    with socket.socket() as sock:  # nobody listens there
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with started_kiosk(tmp_path / "k2", config=with_server(tmp_path, dead)) as kiosk:
        view = drive(kiosk, Touch(), ChooseMenu(MenuOption.QUEUE))
        assert (view.screen, view.notice) == (Screen.SERVICE, "queue_server_down")
        view = drive(kiosk, Back(), ChooseMenu(MenuOption.PRINT))
        assert view.screen is Screen.SCAN
        voucher = next(v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready")
        view = drive(kiosk, CodeScanned(voucher["token"], "qr"), EnterPin(voucher["pin"]))
        assert view.screen is Screen.CONFIRM, view
        view = drive(kiosk, Confirm())
        assert view.screen is Screen.DONE, view
        assert kiosk.simulator.voucher_state(voucher["vid"])["status"] == "printed"


def test_a_staff_call_reaches_the_counter_pages(tmp_path: Path, server: Server) -> None:
    with started_kiosk(tmp_path / "k3", config=with_server(tmp_path, server.url)) as kiosk:
        view = drive(kiosk, Touch(), ChooseMenu(MenuOption.PRINT), CallStaff())
        assert view.screen is Screen.SCAN and view.staff_called_at is not None
        assert kiosk.staff is not None and kiosk.staff.wait_idle(10)
        with server.client("loket-1") as counter:
            alerts = counter.get("/v1/alerts").json()
        assert [(a["kind"], a["kiosk"], a["screen"]) for a in alerts] == [
            ("help", "kiosk-1", "scan")
        ]
        text = kiosk.metrics.render().decode()
        assert 'kiosk_staff_call_deliveries_total{result="ok",sink="office"} 1.0' in text
        assert 'kiosk_staff_call_deliveries_total{result="ok",sink="technician_log"} 1.0' in text


def test_a_staff_call_to_a_silent_office_server_fails_without_holding_the_kiosk(
    tmp_path: Path,
) -> None:
    """The office server accepts the connection and never answers: the citizen sees "someone is
    coming" at once, the technician log has the call, the office delivery fails at its deadline
    and is counted as failed."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        accepted: list[socket.socket] = []
        stop = threading.Event()

        def hold() -> None:  # take connections, read nothing, answer nothing
            silent.settimeout(0.2)
            while not stop.is_set():
                try:
                    accepted.append(silent.accept()[0])
                except TimeoutError:
                    continue

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        try:
            with started_kiosk(tmp_path / "k4", config=with_server(tmp_path, url)) as kiosk:
                assert kiosk.staff is not None
                view = drive(kiosk, Touch(), CallStaff())
                assert view.screen is Screen.MENU and view.staff_called_at is not None
                assert not kiosk.staff.wait_idle(0.2)  # the office delivery is still waiting
                view = drive(kiosk, ChooseMenu(MenuOption.PRINT))
                assert view.screen is Screen.SCAN  # the citizen carries on meanwhile
                assert kiosk.staff.wait_idle(15)
                text = kiosk.metrics.render().decode()
                assert (
                    'kiosk_staff_call_deliveries_total{result="failed",sink="office"} 1.0' in text
                )
                assert (
                    'kiosk_staff_call_deliveries_total{result="ok",sink="technician_log"} 1.0'
                    in text
                )
        finally:
            stop.set()
            holder.join(5)
            for connection in accepted:
                connection.close()


def test_survey_answers_of_a_ticket_and_a_print_reach_the_office_report(
    tmp_path: Path, server: Server
) -> None:
    with started_kiosk(tmp_path / "k5", config=with_server(tmp_path, server.url)) as kiosk:
        assert kiosk.feedback is not None and kiosk.feedback_sender is not None
        view = drive(kiosk, Touch(), ChooseMenu(MenuOption.QUEUE), ChooseService("B"))
        assert view.screen is Screen.TICKET and view.ticket is not None
        ticket = view.ticket.ticket_id
        view = drive(kiosk, Finish())
        assert view.screen is Screen.SURVEY
        view = drive(kiosk, Rate(3, ("clear",)))
        assert view.screen is Screen.ATTRACT
        voucher = next(v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready")
        drive(kiosk, Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(voucher["token"], "qr"))
        view = drive(kiosk, EnterPin(voucher["pin"]), Confirm())
        assert view.screen is Screen.DONE, view
        view = drive(kiosk, Finish(), Rate(4))
        assert view.screen is Screen.ATTRACT
        feedback = kiosk.feedback
        wait_for(lambda: feedback.counts() == (2, 0), 15.0)  # sent by the sender's thread
        stored = server.store.feedback_of_day(server.clock().date())
        assert [(f.service, f.score, f.ticket_id) for f in stored] == [
            ("B", 3, ticket),
            ("ADM", 4, None),
        ]
        # the print's answer goes under an id of its own, never the print's txid
        assert stored[1].txid is not None and stored[1].txid.startswith("S")
        assert stored[1].txid not in [r.txid for r in kiosk.journal.recent()]
