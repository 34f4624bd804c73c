"""A service process gives a freed large buffer back to the operating system, even after a larger one."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's")

# A fresh interpreter each time: glibc's thresholds are per process and only ever move up.
CHILD = """
import os, sys
from shared.runtime.allocator import return_large_buffers

def resident_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

if sys.argv[1] == "fixed":
    assert return_large_buffers()
decoded = b"1" * (24 << 20)  # say a snapshot decoded while restoring
del decoded
before = resident_mib()
fetched = b"1" * (16 << 20)  # a later, smaller buffer
del fetched
print(resident_mib() - before)
"""


def _kept_mib(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60, check=True
    )
    return float(done.stdout)


def test_a_freed_large_buffer_leaves_the_process() -> None:
    assert _kept_mib("fixed") < 2


def test_without_fixed_thresholds_glibc_keeps_it() -> None:
    """Why the setting exists: this is what every service did after its first large buffer."""
    assert _kept_mib("glibc's own") > 12
