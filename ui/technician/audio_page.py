"""Sound: the spoken prompts' volume and mute, with a sample to hear the result.

Each change is a technician action (authorized, audited) and is kept in the state dir, so it
survives a restart.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.speech.settings import AudioSettings
from ui.technician.base import TechContext, TechPage, make_button, make_label

VOLUME_STEP = 10  # percent per press
SAMPLE_KEY = "prompt_menu"  # a short citizen prompt, heard as a citizen hears it


class AudioPage(TechPage):
    nav_key = "tech_nav_audio"
    name = "audio"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.level = make_label("tech_audio_level", "title")
        self.quieter = make_button("tech_audio_quieter")
        self.louder = make_button("tech_audio_louder")
        self.mute = make_button("tech_audio_mute", "danger")
        self.sample = make_button("tech_audio_sample", "primary")
        self.quieter.clicked.connect(lambda: self._step(-VOLUME_STEP))
        self.louder.clicked.connect(lambda: self._step(VOLUME_STEP))
        self.mute.clicked.connect(self._toggle_mute)
        self.sample.clicked.connect(self._play_sample)
        self.settings: AudioSettings | None = None
        row = QHBoxLayout()
        row.addWidget(self.quieter)
        row.addWidget(self.louder)
        column = QVBoxLayout(self)
        column.addWidget(self.level)
        column.addLayout(row)
        column.addWidget(self.mute)
        column.addWidget(self.sample)
        column.addWidget(self.message)
        column.addStretch(1)

    def retranslate(self) -> None:
        self.quieter.setText(self.t("tech_audio_quieter"))
        self.louder.setText(self.t("tech_audio_louder"))
        self.sample.setText(self.t("tech_audio_sample"))
        self._render()

    def entered(self) -> None:
        self.run(self.ctx.actions.audio, self._shown)

    def _shown(self, settings: AudioSettings | None) -> None:
        self.settings = settings
        self.message.setText("" if settings is not None else self.t("tech_audio_off"))
        self._render()

    def _render(self) -> None:
        settings = self.settings
        on = settings is not None
        for button in (self.quieter, self.louder, self.mute, self.sample):
            button.setEnabled(on)
        if settings is None:
            self.level.setText("")
            self.mute.setText(self.t("tech_audio_mute"))
            return
        self.level.setText(
            self.t("tech_audio_muted") if settings.muted
            else self.t("tech_audio_volume", n=settings.volume)
        )  # fmt: skip
        self.mute.setText(self.t("tech_audio_unmute" if settings.muted else "tech_audio_mute"))
        self.quieter.setEnabled(not settings.muted and settings.volume > 0)
        self.louder.setEnabled(not settings.muted and settings.volume < 100)

    def _step(self, delta: int) -> None:
        if self.settings is not None:
            volume = self.settings.volume + delta
            self.run(lambda: self.ctx.actions.set_volume(volume), self._changed)

    def _toggle_mute(self) -> None:
        if self.settings is not None:
            muted = not self.settings.muted
            self.run(lambda: self.ctx.actions.set_muted(muted), self._changed)

    def _changed(self, settings: AudioSettings) -> None:
        self.settings = settings
        self.message.setText("")
        self._render()

    def _play_sample(self) -> None:
        language = self.ctx.language
        text = self.ctx.catalog.text(SAMPLE_KEY, language)
        self.run(lambda: self.ctx.actions.play_sample(text, language), lambda _: None)
