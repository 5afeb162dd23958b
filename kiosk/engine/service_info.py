"""Service information (transparency) from the config: each document printed here and each
counter service, with its requirements, fee, service-time promise and complaint channel.

Built once in bootstrap; the session shows it (INFO_LIST, INFO) and offers a queue ticket for
counter services. Qt-free, like the rest of the engine.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.config.models import InfoSettings, QueueService
from kiosk.domain.documents import DocumentType
from kiosk.engine.view import InfoView

DOC_PREFIX = "doc:"
QUEUE_PREFIX = "queue:"


def info_topics(
    info: InfoSettings, services: Sequence[QueueService], printable: Sequence[DocumentType]
) -> tuple[InfoView, ...]:
    """Documents printed at this kiosk first (``printable``), then the counter services."""
    topics = []
    for doc in printable:
        entry = info.documents[doc.value]
        topics.append(
            InfoView(
                key=f"{DOC_PREFIX}{doc.value}",
                name_id=doc.name_id,
                name_en=doc.name_en,
                requirements_id=tuple(entry.requirements),
                requirements_en=tuple(entry.requirements_en or entry.requirements),
                fee_rp=entry.fee_rp,
                sla_minutes=entry.sla_minutes,
                complaint_id=info.complaint,
                complaint_en=info.complaint_en,
            )
        )
    for service in services:
        topics.append(
            InfoView(
                key=f"{QUEUE_PREFIX}{service.code}",
                name_id=service.name_id,
                name_en=service.name_en,
                requirements_id=tuple(service.requirements),
                requirements_en=tuple(service.requirements_en or service.requirements),
                fee_rp=service.fee_rp,
                sla_minutes=service.sla_minutes,
                complaint_id=info.complaint,
                complaint_en=info.complaint_en,
                queue_code=service.code,
                opens=service.opens.strftime("%H:%M"),
                closes=service.closes.strftime("%H:%M"),
            )
        )
    return tuple(topics)


def rupiah(amount: int) -> str:
    """``350000`` -> ``"Rp 350.000"`` (Indonesian thousands separator)."""
    return "Rp " + f"{amount:,}".replace(",", ".")
