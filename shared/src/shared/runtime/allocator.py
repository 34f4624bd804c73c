"""What the process asks of the C allocator: freed memory goes back to the system (glibc; elsewhere nothing).

glibc gives an allocation of 128 KiB or more a mapping of its own, unmapped when freed. But each such free
raises that threshold to the size freed (up to 32 MiB), and the heap then keeps up to twice that free at
its top. A metrics instance restoring its partitions frees decoded snapshots and Kafka fetch buffers of
several MiB. After that, buffers of that size came from the heap and stayed resident once freed. With
three instances restoring a programme of 1,000,000 attendances, that was 11-20 MiB of free heap per
instance (mallinfo2), the difference between them and the memory they need (docs/scaling.md).
Setting both thresholds stops the adjustment and keeps glibc's starting values.

Free pages inside the heap, below memory still in use, stay until `trim` asks for them: metrics does when
partitions move away.

Each service does this unless its settings say otherwise (`return_large_buffers`). The events service does
not: a bulk upload's buffers of megabytes, each mapped afresh and faulted in page by page, cost it ~3 us of
CPU per record, where keeping them costs it 9-24 MiB (docs/performance.md).
"""

from __future__ import annotations

import ctypes
from typing import Any

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024  # glibc's default before it adjusts
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


def _libc_functions(**arguments: tuple[Any, ...]) -> list[Any]:
    """Functions of the process's own C library, given their argument types; each None where it has none."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return [None for _ in arguments]
    found = []
    for name, types in arguments.items():
        function = getattr(libc, name, None)
        if function is not None:
            function.argtypes, function.restype = types, ctypes.c_int
        found.append(function)
    return found


_MALLOPT, _MALLOC_TRIM = _libc_functions(mallopt=(ctypes.c_int, ctypes.c_int), malloc_trim=(ctypes.c_size_t,))


def return_large_buffers() -> bool:
    """Keep glibc's thresholds fixed, so freed large buffers leave the process; False without glibc."""
    if _MALLOPT is None:
        return False
    # musl has mallopt too, and it returns 0: it has no such thresholds
    return bool(_MALLOPT(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        _MALLOPT(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


def trim() -> None:
    """Give the system every whole free page of the heap, not only its free top (glibc's malloc_trim)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
