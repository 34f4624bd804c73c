"""What both outboxes share: the states of their messages and the one loop that relays them.

A message stored with its document(s) is NOT_PUBLISHED; a relay takes it IN_PROGRESS (handed over or read,
sent, not yet marked) and, once the broker acknowledged it, marks it PUBLISHED. A relay that stops while a
message is IN_PROGRESS leaves it NOT_PUBLISHED in the database, so another relay sends it again: consumers
absorb that, as every effect is idempotent (docs/architecture.md, Topics and event contracts).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum, StrEnum

from shared.runtime.wake_ups import woken_within

log = logging.getLogger(__name__)


class OutboxState(StrEnum):
    """Where an outbox's messages are. The batch outbox stores the first two in its records' `state`; the
    single-document outbox says NOT_PUBLISHED with `outbox_pending`. IN_PROGRESS lives only in the relay's
    memory, and PUBLISHED is the record deleted (batch) or the outbox cleared (document)."""

    WRITING = "writing"  # a bulk insert still being written: its messages wait for it (or its writer's end)
    NOT_PUBLISHED = "stored"
    IN_PROGRESS = "in_progress"
    PUBLISHED = "published"


class Pass(Enum):
    """Why the relay makes a pass; an outbox decides from it what to read."""

    START = "start"  # what a stopped process left behind
    WOKEN = "woken"  # a writer stored or handed over messages
    DUE = "due"  # the outbox asked to be called back by now
    IDLE = "idle"  # nothing happened for a while: what another instance left behind
    RETRY = "retry"  # the last pass failed (broker or database away): everything, again


class RelayLoop:
    """The wake, idle and retry loop of a relay (and of the gateway's webhook dispatcher): passes until
    stopped or cancelled, each at the next reason for one."""

    def __init__(self, name: str, *, retry_interval_s: float, idle_scan_interval_s: float) -> None:
        self._name = name
        self._retry_interval_s = retry_interval_s
        self._idle_scan_interval_s = idle_scan_interval_s
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """End the loop after the pass in hand (or at once, if it waits)."""
        self._stopping = True
        self._wake.set()

    async def run(
        self, one_pass: Callable[[Pass], Awaitable[None]], due_in: Callable[[], float] = lambda: float("inf")
    ) -> None:
        """Make passes until stopped; `due_in` says how soon the outbox wants one (seconds, inf: never)."""
        reason = Pass.START
        while not self._stopping:
            try:
                await one_pass(reason)
                failed = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Kafka or MongoDB away: the messages stay NOT_PUBLISHED
                log.warning("%s pass failed, will retry: %s", self._name, exc)
                failed = True
            reason = await self._next(failed, due_in())

    async def _next(self, failed: bool, due_in_s: float) -> Pass:
        wait_s = self._retry_interval_s if failed else self._idle_scan_interval_s
        woken = await woken_within(self._wake, min(wait_s, due_in_s))
        self._wake.clear()
        if failed:
            return Pass.RETRY
        if woken:
            return Pass.WOKEN
        return Pass.DUE if due_in_s < wait_s else Pass.IDLE
