"""`GET /problems/{type}`: what each problem type means and what to do about it (RFC 9457, section 3.1.1)."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from shared.http.problem_types import PROBLEM_TYPES, ProblemType, type_uri
from shared.http.problems import ProblemError
from shared.http.responses import problems

router = APIRouter(tags=["problems"])
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — Programme Pulse API</title></head>
<body><main><h1>{title}</h1><p>HTTP {statuses} · <code>{type}</code></p>
<h2>What it means</h2><p>{explanation}</p><h2>What to do</h2><p>{remedy}</p>
<p>Problem documents follow <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a>.</p></main></body></html>
"""


class ProblemTypeRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/idempotency-key-reused",
                    "title": "Idempotency-Key reused",
                    "statuses": [422],
                    "explanation": "This `Idempotency-Key` was sent before with a different request.",
                    "remedy": "Use a fresh key for a different request.",
                }
            ]
        }
    )

    type: str
    title: str
    statuses: list[int]
    explanation: str
    remedy: str

    @classmethod
    def of(cls, slug: str, problem: ProblemType) -> ProblemTypeRead:
        return cls(
            type=type_uri(slug),
            title=problem.title,
            statuses=list(problem.statuses),
            explanation=problem.explanation,
            remedy=problem.remedy,
        )


@router.get(
    "/problems/{problem_type}",
    response_model=ProblemTypeRead,
    responses={
        200: {"content": {"text/html": {"example": "<!doctype html><html>…</html>"}}},
        **problems(404),
    },
    openapi_extra={"security": [{}]},
)
async def read_problem_type(
    problem_type: Annotated[
        str, Path(pattern=r"^[a-z0-9-]{1,64}$", examples=["validation"], description="the type's slug")
    ],
    request: Request,
) -> Response:
    """Explain a problem type: what it means and what to do, as HTML, or JSON when asked for.

    Every `type` of a problem document this API answers with is a path of this operation.
    """
    found = PROBLEM_TYPES.get(problem_type)
    if found is None:
        raise ProblemError(404, "Not found", f"No problem type {problem_type!r}.", type_="not-found")
    read = ProblemTypeRead.of(problem_type, found)
    if "json" in request.headers.get("accept", ""):
        return Response(read.model_dump_json(), media_type="application/json")
    page = _PAGE.format(
        title=escape(read.title),
        statuses=", ".join(str(s) for s in read.statuses),
        type=escape(read.type),
        explanation=escape(read.explanation),
        remedy=escape(read.remedy),
    )
    return HTMLResponse(page)
