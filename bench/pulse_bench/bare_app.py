"""The floor of the HTTP benchmarks: bare FastAPI endpoints, served by uvicorn with the services' settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    @app.post("/v1/events/{event_id}/checkins", status_code=201)
    async def checkin(event_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Answers a body shaped like the real check-in answer, storing nothing."""
        participant = body.get("participant_id", "")
        return {
            "id": f"{event_id}:{participant}",
            "event_id": event_id,
            "participant_id": participant,
            "checkin_id": body.get("checkin_id") or str(uuid.uuid4()),
            "checked_in_at": body.get("checked_in_at") or datetime.now(UTC).isoformat(),
            "status": "recorded",
        }

    return app
