"""A service's OpenAPI document as the contract: problem answers, stable operation ids, summaries (docs/api.md).

FastAPI documents a 422 `HTTPValidationError` in application/json; every service answers problems in
application/problem+json instead, so the generated document is rewritten to say what really answers.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic.json_schema import models_json_schema

from shared.http.problems import PROBLEM_JSON
from shared.http.responses import ProblemDetails, ValidationProblem, problem_example, problem_response

Document = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMAS = "#/components/schemas/"
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def operation_id(route: APIRoute) -> str:
    """The endpoint's function name in camelCase: `create_event` -> `createEvent`, stable across releases."""
    first, *rest = route.name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def problem_schemas() -> dict[str, Any]:
    """The components every problem answer refers to."""
    _, top = models_json_schema(
        [(ProblemDetails, "serialization"), (ValidationProblem, "serialization")],
        ref_template=_SCHEMAS + "{model}",
    )
    definitions: dict[str, Any] = top["$defs"]
    return definitions


def problem_answer(status: int, description: str | None = None) -> Document:
    """A documented problem answer in OpenAPI form."""
    declared = problem_response(status, description)
    name = declared["model"].__name__
    return {
        "description": declared["description"],
        "content": {PROBLEM_JSON: {"schema": {"$ref": _SCHEMAS + name}, "example": problem_example(status)}},
    }


def as_contract(document: Document) -> Document:
    """The document with problem answers in application/problem+json, 400 for bodies, and summaries."""
    result = copy.deepcopy(document)
    for item in result.get("paths", {}).values():
        for method in METHODS:
            if method in item:
                _operation(item[method])
    schemas: Document = result.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    for name, schema in problem_schemas().items():
        schemas.setdefault(name, schema)
    return result


def _operation(operation: Document) -> None:
    description = operation.get("description")
    if description:
        operation["summary"] = _first_sentence(description)
    responses: Document = operation.setdefault("responses", {})
    if "requestBody" in operation:
        responses.setdefault("400", problem_answer(400))
    for status, response in list(responses.items()):
        if status[:1] in "45":
            responses[status] = _problem(int(status), response)


def _problem(status: int, response: Document) -> Document:
    """A declared error answer, as the problem document it really is."""
    content: Document = response.get("content") or {}
    problem = {**content.get("application/json", {}), **content.get(PROBLEM_JSON, {})}
    schema = problem.get("schema", {})
    if status == 422 or schema.get("$ref", "").endswith(_FASTAPI_VALIDATION):
        problem["schema"] = {"$ref": _SCHEMAS + ("ValidationProblem" if status == 422 else "ProblemDetails")}
    problem.setdefault("schema", {"$ref": _SCHEMAS + "ProblemDetails"})
    problem.setdefault("example", problem_example(status))
    fallback = problem_answer(status)["description"]
    description = response.get("description")
    if not description or description == "Validation Error":
        description = fallback
    answered = {name: value for name, value in response.items() if name != "content"}
    return {**answered, "description": description, "content": {PROBLEM_JSON: problem}}


def _first_sentence(text: str) -> str:
    line = text.strip().splitlines()[0]
    return re.split(r"(?<=[a-z)])[.;:] ", line, maxsplit=1)[0].rstrip(".")


def generate(app: FastAPI, description: str | None = None) -> Document:
    """The app's contract document: its routes with stable operation ids, then `as_contract`."""
    for route in app.routes:
        if isinstance(route, APIRoute) and route.operation_id is None:
            route.operation_id = operation_id(route)
    generated = get_openapi(
        title=app.title, version=app.version, description=description or app.description, routes=app.routes
    )
    return as_contract(generated)


def install(app: FastAPI) -> None:
    """Serve the contract document at /openapi.json, built once on first request."""
    built: Document = {}

    def openapi() -> Document:
        if not built:
            built.update(generate(app))
        return built

    app.openapi = openapi  # type: ignore[method-assign]
