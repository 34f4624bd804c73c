"""The one app factory: lifespan-managed Kafka and Mongo clients, problem details, health and metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.http import api_document
from shared.http.problems import install_problem_handlers
from shared.http.request_metrics import metrics_router
from shared.http.request_middleware import RequestMiddleware
from shared.kafka.producer import EventProducer
from shared.kafka.topics_admin import ensure_topics
from shared.mongo.client import Document, make_mongo_client, ping
from shared.mongo.flavour import MongoFlavour
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.allocator import return_large_buffers
from shared.runtime.heap import freeze_long_lived, thaw
from shared.runtime.logging import configure_logging
from shared.runtime.tracing import enable_tracing
from shared.settings import BaseServiceSettings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The clients and background tasks of one running service."""

    settings: BaseServiceSettings
    mongo: AsyncMongoClient[Document]
    flavour: MongoFlavour
    producer: EventProducer
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    shutdown_hooks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def db(self) -> AsyncDatabase[Document]:
        return self.mongo[self.settings.database_name]

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self.tasks.append(task)
        return task

    async def close(self, timeout_s: float = 10.0) -> None:
        """Run the shutdown hooks, stop the background tasks, flush the producer and close, within timeout_s.

        A consumer cancelled here finishes and commits the batch in hand first (see ConsumerLoop); what
        the bound cuts short is delivered again after the restart, and handlers are idempotent.
        """
        deadline = asyncio.get_running_loop().time() + timeout_s
        async with _bounded(deadline, "shutdown hooks"):
            for hook in reversed(self.shutdown_hooks):
                await hook()
        for task in self.tasks:
            task.cancel()
        async with _bounded(deadline, "background tasks"):
            await asyncio.gather(*self.tasks, return_exceptions=True)
        async with _bounded(deadline + _FLUSH_GRACE_S, "producer flush"):
            await self.producer.stop()  # flushes what is buffered
        await self.mongo.close()


_FLUSH_GRACE_S = 5.0  # the producer always gets a moment to flush, even after slow hooks


@asynccontextmanager
async def _bounded(deadline: float, what: str) -> AsyncIterator[None]:
    """Give up on a shutdown step at the deadline (logged), so the process exits in bounded time."""
    try:
        async with asyncio.timeout_at(deadline):
            yield
    except TimeoutError:
        log.warning("shutdown: %s did not finish in time; going on", what)


Setup = Callable[[Runtime, FastAPI], Awaitable[None]]


async def _ensure_topics_when_possible(settings: BaseServiceSettings) -> None:
    """Create topics as soon as Kafka answers; a service may start before the broker."""
    while True:
        try:
            await ensure_topics(
                settings.kafka,
                settings.topics,
                partitions=settings.topic_partitions,
                replication=settings.topic_replication,
                key_shred_s=settings.key_shred_s,
            )
            return
        except Exception as exc:
            log.warning("cannot create topics yet (%s); retrying", exc)
            await asyncio.sleep(2)


def create_service_app(
    settings: BaseServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    setup: Setup | None = None,
    principals: PrincipalVerifier | None = None,
) -> FastAPI:
    """A FastAPI app whose lifespan opens and closes the service's clients and runs `setup`.

    `principals` verifies the identities the gateway forwards (shared.http.identity); the gateway has none.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        if settings.return_large_buffers:
            return_large_buffers()
        mongo = make_mongo_client(settings.mongo_url)
        runtime = Runtime(
            settings=settings,
            mongo=mongo,
            flavour=MongoFlavour(mongo, settings.mongo_flavour),
            producer=EventProducer(settings.kafka, client_id=settings.service_name),
        )
        app.state.runtime = runtime
        runtime.spawn(_ensure_topics_when_possible(settings), "ensure-topics")
        try:
            if setup is not None:
                await setup(runtime, app)
            # What start-up built, out of full passes (~40 ms each in events); garbage first, or it would stay.
            gc.collect()
            freeze_long_lived()
            log.info("%s started", settings.service_name)
            yield
        finally:
            thaw()
            await runtime.close(settings.shutdown_timeout_s)
            if tracer_provider is not None:
                await asyncio.to_thread(tracer_provider.shutdown)  # exports the last spans
            log.info("%s stopped", settings.service_name)

    # Tracing is shared.runtime.tracing's (the OpenTelemetry instrumentor, which FastAPI's own telemetry defers to);
    # left on, FastAPI's would still look up three OpenTelemetry providers on every request (~5 us).
    app = FastAPI(
        title=title,
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.principals = principals
    install_problem_handlers(app)
    for router in (*routers, _health_router(), metrics_router()):  # tried in order: the busiest first
        _add_routes(app, router)
    # Outermost of ours: it times the others too.
    app.add_middleware(RequestMiddleware, reads_logged=settings.access_log == "all")
    api_document.install(app)
    tracer_provider = enable_tracing(app, settings.service_name) if settings.otel_enabled else None
    return app


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """Put the router's routes on the app itself, where `include_router` would keep the router nested.

    FastAPI (0.165) walks a nested router's routes again on every request to check they have not changed:
    about a fifth of the gateway's CPU per counters read (docs/performance.md). A router's
    routes carry their full path, tags and dependencies themselves, so the app serves, documents and counts
    them the same (tests/shared_library/test_service_app.py); only a router's event handlers would be lost,
    so such a router is refused.
    """
    if router.on_startup or router.on_shutdown:
        raise ValueError("a router with startup or shutdown handlers must be included, not flattened")
    app.router.routes.extend(router.routes)


def _health_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        kafka_ok, mongo_ok = await asyncio.gather(runtime.producer.ping(), ping(runtime.mongo))
        ready = kafka_ok and mongo_ok
        body = {
            "status": "ready" if ready else "not ready",
            "kafka": "ready" if kafka_ok else "unreachable",
            "mongodb": "ready" if mongo_ok else "unreachable",
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    return router
