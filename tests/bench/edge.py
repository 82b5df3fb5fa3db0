"""`make bench-edge`: a warm page through the edge cache against the app's own, in one run.

    python -m tests.bench.edge [--duration 10] [--connections 64]

Starts what `make edge` starts (config/edge/run.py: Varnish before two app servers, production
settings) on a throwaway PostgreSQL database, then runs wrk on the LIGHT home page, Brotli
accepted, warm, through the edge and then straight at one app server (its page cache warm).
Then an editor publishes a change, and the next request through the edge must show it.

Passes when the edge serves at least 5 times the app's requests per second, with p99 under
20 ms and no errors. Writes var/bench/edge-<time>.json; docs/benchmarks.md has the figures.
"""

import argparse
import os
import sys
import time

from config.edge.run import start, stop
from tests.bench.common import (
    OUTPUT_DIR,
    Run,
    fetch,
    free_port,
    say,
    stop_cleanly_on_sigterm,
    timestamp,
    write_json,
    wrk,
)

HOST = "light.localhost"
PATH = "/vi/"
ACCEPT = "Accept-Encoding: br"
TARGETS = {"times_the_app": 5, "p99_ms": 20}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_EDGE_REDIS_URL", "redis://127.0.0.1:6379/4"),
        help="a Redis database of the benchmark's own: it is emptied",
    )
    return parser.parse_args()


def wait_for(base_url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fetch(base_url, HOST, PATH).status == 200:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{base_url}{PATH} did not answer")


def measure(base_url, options):
    for _ in range(3):  # warm: the page cache, then the edge
        fetch(base_url, HOST, PATH)
    # A few seconds first, so the measurement does not include the servers starting threads.
    wrk(base_url, HOST, PATH, duration=3, connections=options.connections, headers=[ACCEPT])
    return wrk(
        base_url,
        HOST,
        PATH,
        duration=options.duration,
        connections=options.connections,
        threads=options.threads,
        headers=[ACCEPT],
    )


def main():
    options = parse_arguments()
    stop_cleanly_on_sigterm()
    run = Run(f"edge-{timestamp()}", options.redis)
    port = free_port()
    edge_url, app_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    os.environ.update(
        DATABASE_URL=run.database_url,
        REDIS_URL=options.redis,
        CACHE_KEY_PREFIX=run.database,
        MEDIA_ROOT=str(run.directory / "media"),
        STATIC_ROOT=str(OUTPUT_DIR / "static"),
        LOG_LEVEL="WARNING",
    )
    say(f"Database {run.database}, Redis {options.redis}, edge on {port}")
    run.flush_redis()
    processes = []
    try:
        processes = start(port, run.directory)  # creates the database, migrates, loads the demo
        wait_for(edge_url)
        wait_for(app_url)
        say(f"wrk: {options.connections} connections for {options.duration} s, edge then app")
        result = {"edge": measure(edge_url, options), "app": measure(app_url, options)}
        marker = f"edge-bench-{time.time_ns()}"
        published = run.django_json("publish", marker, EDGE_PURGE_URLS=edge_url)
        shown = fetch(edge_url, HOST, published["paths"][0])
        result["publish"] = {**published, "shown_on_next_request": marker in shown.text}
    finally:
        stop(processes)
        run.clean_up()
    result["options"] = {key: value for key, value in vars(options).items() if key != "redis"}
    path = write_json(run.name, result)
    sys.exit(0 if report(result, path) else 1)


def report(result, path):
    edge, app = result["edge"], result["app"]
    out = sys.stdout.write
    for name, figures in (("edge", edge), ("app", app)):
        out(
            f"{name:>4}: {figures['rps']:.0f} req/s, p50 {figures['p50_ms']} ms, "
            f"p99 {figures['p99_ms']} ms, {figures['errors']} errors, "
            f"{figures['bytes_per_request']} bytes each\n"
        )
    times = edge["rps"] / max(app["rps"], 1)
    checks = {
        f"the edge serves {TARGETS['times_the_app']}x the app ({times:.1f}x)": times
        >= TARGETS["times_the_app"],
        f"p99 through the edge under {TARGETS['p99_ms']} ms": edge["p99_ms"] < TARGETS["p99_ms"],
        "no errors": edge["errors"] == 0 and app["errors"] == 0,
        "a publish shows through the edge on the next request": result["publish"][
            "shown_on_next_request"
        ],
    }
    for name, passed in checks.items():
        out(f"  {'PASS' if passed else 'FAIL'}  {name}\n")
    out(f"Written to {path}\n")
    return all(checks.values())


if __name__ == "__main__":
    main()
