"""The CloudEvents 1.0 envelope (structured JSON mode) every Kafka message travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class CloudEvent(BaseModel):
    """A CloudEvent whose `data` is the JSON of one payload model of `shared.contracts.payloads`."""

    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: AwareDatetime
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]


def new_event(
    *,
    source: str,
    type: str,
    subject: str,
    data: BaseModel,
    id: str | None = None,
    time: datetime | None = None,
) -> CloudEvent:
    """Wrap a payload in an envelope: by default with a unique id and the current time."""
    return CloudEvent(
        id=id or str(uuid.uuid4()),
        source=source,
        type=type,
        time=time or datetime.now(UTC),
        subject=subject,
        data=data.model_dump(mode="json"),
    )
