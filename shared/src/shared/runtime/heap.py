"""Keeps the garbage collector's full passes short: objects that live on are frozen out of them.

A full pass walks every object the collector tracks. Those alive for the whole process (modules, routes,
schemas) need no walking, nor does metrics' fact set: facts form no reference cycles, so reference counting
frees a fact that a merge replaces. `gc.freeze()` moves every object then alive out of the collector's
sight; what is allocated after is collected as before. Cyclic garbage alive at that instant is
frozen too and not freed until `thaw`, so a service collects before it first freezes, then freezes only at
bounded steps, and thaws when its app stops (in tests, apps start and stop in one long process).

CPython runs a full pass only when the objects promoted since the last one exceed a quarter of those it
holds. With the long-lived ones frozen it holds few, so nearly every tenth middle-generation pass became a
full pass over whatever batch was in flight (a consumer batch of 20,000 records, five objects each; a
10,000-record request). While frozen, full passes wait for `FULL_PASS_EVERY` middle passes instead.
"""

from __future__ import annotations

import gc

FULL_PASS_EVERY = 100
_CPYTHON_FULL_PASS_EVERY = 10


def freeze_long_lived() -> None:
    """Take every object now alive out of the collector's passes, and make full passes rarer."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)


def thaw() -> None:
    """Give every frozen object back to the collector, with CPython's usual full passes."""
    gc.unfreeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, _CPYTHON_FULL_PASS_EVERY)
