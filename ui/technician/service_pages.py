"""Pages that do things to devices and the registry: test prints, refills, registry check."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.diagnose.checks import CheckResult
from kiosk.technician import MAX_BLANKO_STOCK, PrintResult, TestPrint
from kiosk.technician.consumables import RefillInfo
from ui.technician.base import TechContext, TechPage, make_button, make_label

PAPER_DEVICES = ("receipt", "document")
BLANKO_STEPS = (-10, -1, 1, 10)


class PrintsPage(TechPage):
    nav_key = "tech_nav_prints"
    name = "prints"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.buttons: dict[TestPrint, QPushButton] = {}
        column = QVBoxLayout(self)
        for kind in TestPrint:
            button = make_button(f"tech_print_{kind.value}", "primary")
            button.clicked.connect(lambda _=False, k=kind: self.print_test(k))
            button.setEnabled(ctx.kiosk.devices.get(_DEVICE[kind]) is not None)
            self.buttons[kind] = button
            column.addWidget(button)
        column.addWidget(self.message)
        column.addStretch(1)
        self.last: PrintResult | None = None

    def retranslate(self) -> None:
        for kind, button in self.buttons.items():
            button.setText(self.t(f"tech_print_{kind.value}"))

    def print_test(self, kind: TestPrint) -> None:
        self.run(lambda: self.ctx.actions.test_print(kind), self._show)

    def _show(self, result: PrintResult) -> None:
        self.last = result
        key = "tech_print_ok" if result.ok else "tech_print_failed"
        self.message.setText(self.t(key, detail=result.text))


_DEVICE = {TestPrint.TICKET: "receipt", TestPrint.A4: "document", TestPrint.CARD: "card"}


class RefillPage(TechPage):
    nav_key = "tech_nav_refill"
    name = "refill"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        column = QVBoxLayout(self)
        self.paper: dict[str, QPushButton] = {}
        for device in PAPER_DEVICES:
            if ctx.kiosk.devices.get(device) is None:
                continue
            button = make_button(f"tech_refill_paper_{device}", "primary")
            button.clicked.connect(lambda _=False, d=device: self.refill_paper(d))
            self.paper[device] = button
            column.addWidget(button)
        self.card = ctx.kiosk.devices.get("card")
        self.has_blanko = callable(getattr(self.card, "blanko", None))
        self.stock = 0
        self.blanko_label = make_label("tech_refill_blanko_label", "title")
        steps = QGridLayout()
        self.step_buttons: dict[int, QPushButton] = {}
        for i, step in enumerate(BLANKO_STEPS):
            button = make_button(f"tech_refill_blanko_{'minus' if step < 0 else 'plus'}{abs(step)}")
            button.setText(f"{step:+d}")
            button.clicked.connect(lambda _=False, s=step: self.step(s))
            self.step_buttons[step] = button
            steps.addWidget(button, 0, i)
        self.blanko_save = make_button("tech_refill_blanko_set", "primary")
        self.blanko_save.clicked.connect(self.save_blanko)
        column.addWidget(self.blanko_label)
        column.addLayout(steps)
        column.addWidget(self.blanko_save)
        for widget in (self.blanko_label, self.blanko_save, *self.step_buttons.values()):
            widget.setVisible(self.has_blanko)
        column.addWidget(self.message)
        column.addStretch(1)

    def retranslate(self) -> None:
        for device, button in self.paper.items():
            button.setText(self.t("tech_refill_paper", device=device))
        self.blanko_save.setText(self.t("tech_refill_blanko_set"))
        self._show_stock()

    def entered(self) -> None:
        if self.has_blanko:
            self.stock = int(self.card.blanko()[0])
        self._show_stock()

    def _show_stock(self) -> None:
        self.blanko_label.setText(self.t("tech_refill_blanko_label", n=self.stock))

    def step(self, amount: int) -> None:
        self.stock = max(0, min(MAX_BLANKO_STOCK, self.stock + amount))
        self._show_stock()

    def refill_paper(self, device: str) -> None:
        self.run(lambda: self.ctx.actions.refill_paper(device), self._done)

    def save_blanko(self) -> None:
        stock = self.stock
        self.run(lambda: self.ctx.actions.refill_blanko(stock), self._done)

    def _done(self, info: RefillInfo) -> None:
        self.message.setText(self.t("tech_refill_done", device=info.device))


class RegistryPage(TechPage):
    nav_key = "tech_nav_registry"
    name = "registry"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.check = make_button("tech_registry_check", "primary")
        self.check.clicked.connect(self.run_check)
        self.result: CheckResult | None = None
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.check)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addStretch(1)

    def retranslate(self) -> None:
        self.check.setText(self.t("tech_registry_check"))

    def run_check(self) -> None:
        self.run(self.ctx.actions.check_registry, self._show)

    def _show(self, result: CheckResult) -> None:
        self.result = result
        key = "tech_registry_ok" if result.ok else "tech_registry_bad"
        self.message.setText(self.t(key, detail=result.text))
