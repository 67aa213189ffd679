"""Median wall time over repeats, then peak traced memory of one more run."""

from __future__ import annotations

import statistics
import time
import tracemalloc


def measure(fn, repeats: int = 5) -> tuple[float, int]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak
