"""Uncached in-process render time and query count of each measured page type.

Run by bench.py as `python -m tests.bench.render [repeats]` with the production settings and
PAGE_CACHE_SECONDS=0; prints JSON. Each page is requested through Django's test client (the
whole middleware stack, no network) a few times to warm up, then `repeats` times timed (fewer
if that would take over BUDGET_SECONDS); a page whose query outlives a statement timeout set
by the caller is reported as timed out. The query count is the last request's. Counting
queries wraps the cursor, which costs far less than the noise of a shared machine.
"""

import json
import os
import statistics
import sys
import time

from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Set up as a server worker is (config/wsgi.py), so that what is measured is what is served.
import config.wsgi  # noqa: F401
from tests.bench.targets import LIGHT, page_targets

WARM_UP = 3
BUDGET_SECONDS = 15  # per page: a pathologically slow page is timed fewer times, not 30
SLOW_SECONDS = 5  # a first request this slow is the measurement: no warm-up, no repeats


def measure(client, path, repeats):
    timings, cpu_timings = [], []
    queries = None
    started = time.perf_counter()
    for attempt in range(WARM_UP + repeats):
        with CaptureQueriesContext(connection) as captured:
            begun, begun_cpu = time.perf_counter(), time.process_time()
            try:
                response = client.get(path, HTTP_HOST=LIGHT)
            except OperationalError:  # the caller's statement timeout: too slow to time
                return {
                    "path": path,
                    "timed_out": True,
                    "median_ms": round((time.perf_counter() - begun) * 1000, 2),
                    "cpu_median_ms": round((time.process_time() - begun_cpu) * 1000, 2),
                    "renders": 0,
                    "queries": len(captured),
                }
            elapsed = time.perf_counter() - begun
            cpu = time.process_time() - begun_cpu
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        queries = len(captured)
        if attempt >= WARM_UP or elapsed > SLOW_SECONDS:
            timings.append(elapsed * 1000)
            cpu_timings.append(cpu * 1000)
        if timings and time.perf_counter() - started > BUDGET_SECONDS:
            break
    return {
        "path": path,
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        # This process's own CPU time: less disturbed by other work on the machine than the
        # wall clock, but without the database's share.
        "cpu_median_ms": round(statistics.median(cpu_timings), 2),
        "renders": len(timings),
        "queries": queries,
        "bytes": len(response.content),
    }


def main(repeats):
    if settings.PAGE_CACHE_SECONDS:
        raise SystemExit("Run with PAGE_CACHE_SECONDS=0: this measures uncached renders.")
    client = Client()
    results = {name: measure(client, path, repeats) for name, path in page_targets().items()}
    json.dump(
        {"repeats": repeats, "pid": os.getpid(), "pages": results}, sys.stdout, ensure_ascii=False
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
