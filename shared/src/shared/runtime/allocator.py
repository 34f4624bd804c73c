"""Large buffers go back to the operating system when freed (glibc's malloc; elsewhere nothing changes).

glibc gives an allocation of 128 KiB or more a mapping of its own, unmapped when freed. But each such free
raises that threshold to the size freed (up to 32 MiB), and the heap then keeps up to twice that free at
its top. A metrics instance restoring its partitions frees decoded snapshots and Kafka fetch buffers of
several MiB. After that, buffers of that size came from the heap and stayed resident once freed. With
three instances restoring a programme of 1,000,000 attendances, that was 11-20 MiB of free heap per
instance (mallinfo2), the difference between them and the memory they need (docs/scaling.md).

Setting both thresholds stops the adjustment and keeps glibc's starting values.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD = -1  # glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024  # glibc's default before it adjusts
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


def return_large_buffers() -> bool:
    """Keep glibc's thresholds fixed, so freed large buffers leave the process; False without glibc."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # musl has mallopt too, and it returns 0: it has no such thresholds
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
