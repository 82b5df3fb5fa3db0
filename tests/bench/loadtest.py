"""`make loadtest` (issue #8): 50 connections for 60 seconds on a mix of pages, searches and the
images they show, of both sites in both languages, against `make serve` on PostgreSQL, while an
editor publishes a change that must then show to every visitor. Exits 1 on any error (an image
that is not served included) or if the change does not show.

    python -m tests.bench.loadtest [--duration 60] [--connections 50] [--scale 0]

From the moment the editor starts publishing, a poller asks for the changed page (one request
at a time, 0.1 s apart, queueing behind the load like any visitor) until the change shows,
then for 5 s more: every answer must be 200, and none after the first to show the change may
show the old page. Writes var/bench/loadtest-<time>.json.
"""

import argparse
import os
import sys
import threading
import time

from tests.bench.common import (
    Run,
    Server,
    fetch,
    say,
    stop_cleanly_on_sigterm,
    timestamp,
    with_images,
    write_json,
    wrk,
)

PUBLISH_AFTER = 0.3  # of the run's duration
POLL_INTERVAL = 0.1
KEEP_POLLING = 5  # seconds after the change first shows
POLL_TIMEOUT = 30


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--scale",
        type=int,
        default=int(os.environ.get("LOADTEST_SCALE", 0)),
        help="load_demo_content --scale N first (0: the demo content only)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/6"),
        help="a Redis database of the load test's own: it is emptied",
    )
    return parser.parse_args()


def main():
    options = parse_arguments()
    stop_cleanly_on_sigterm()
    started = time.monotonic()
    run = Run(f"loadtest-{timestamp()}", options.redis)
    say(f"Database {run.database}, Redis {options.redis}")
    try:
        run.create_database()
        run.flush_redis()
        run.manage("migrate", "--noinput")
        run.manage("load_demo_content", "--scale", options.scale)
        run.analyze()
        targets = run.django_json("targets")
        with Server(run, "loadtest") as server:
            targets["mix"] = with_images(server.base_url, targets["mix"])
            paths_file = run.directory / "mix.txt"
            paths_file.write_text(
                "".join(f"{host} {path}\n" for host, path in targets["mix"]), encoding="utf-8"
            )
            result = load_while_publishing(server, run, options, paths_file, targets)
    finally:
        run.clean_up()
    result["mix_size"] = len(targets["mix"])
    result["seconds"] = round(time.monotonic() - started, 1)
    result["options"] = {key: value for key, value in vars(options).items() if key != "redis"}
    path = write_json(run.name, result)
    passed = report(result, path)
    sys.exit(0 if passed else 1)


def load_while_publishing(server, run, options, paths_file, targets):
    load = {}

    def generate_load():
        load.update(
            wrk(
                server.base_url,
                duration=options.duration,
                connections=options.connections,
                threads=options.threads,
                paths_file=paths_file,
            )
        )

    say(f"wrk: {options.connections} connections for {options.duration} s")
    generator = threading.Thread(target=generate_load)
    generator.start()
    time.sleep(options.duration * PUBLISH_AFTER)
    marker = f"loadtest-{time.time_ns()}"
    say(f"Publishing a change ({marker}) under load")
    poll = Poller(server, targets["pages"]["programme"], marker)
    poll.start()
    published = run.django_json("publish", marker)
    poll.join()
    generator.join()
    return {"load": load, "publish": published, "poll": poll.result()}


class Poller(threading.Thread):
    """Asks for the page until the change shows, then for a few seconds more: it must stay."""

    def __init__(self, server, path, marker):
        super().__init__()
        self.server, self.path, self.marker = server, path, marker
        self.started_at = time.monotonic()
        self.shown_at = None
        self.requests = self.errors = self.stale_after_shown = 0

    def run(self):
        deadline = self.started_at + POLL_TIMEOUT
        while time.monotonic() < deadline:
            if self.shown_at and time.monotonic() > self.shown_at + KEEP_POLLING:
                break
            answer = fetch(self.server.base_url, "light.localhost", self.path, timeout=30)
            self.requests += 1
            if answer.status != 200:
                self.errors += 1
            elif self.marker in answer.text:
                self.shown_at = self.shown_at or time.monotonic()
            elif self.shown_at:
                self.stale_after_shown += 1
            time.sleep(POLL_INTERVAL)

    def result(self):
        return {
            "path": self.path,
            "requests": self.requests,
            "errors": self.errors,
            "shown": self.shown_at is not None,
            # From the start of the editor's process (Django's start-up included) to the first
            # answer that shows the change.
            "shown_after_s": round(self.shown_at - self.started_at, 3) if self.shown_at else None,
            "stale_after_shown": self.stale_after_shown,
        }


def report(result, path):
    load, poll = result["load"], result["poll"]
    out = sys.stdout.write
    out(
        f"\nLoad: {load['requests']} requests in {load['seconds']} s over {result['mix_size']} "
        f"pages, searches and images ({load['rps']:.0f} req/s); latency p50 {load['p50_ms']} ms, "
        f"p90 {load['p90_ms']} ms, p99 {load['p99_ms']} ms, max {load['max_ms']} ms\n"
        f"Errors: {load['errors']} {load['error_detail']}\n"
        f"Publish under load took {result['publish']['publish_seconds']} s; the poller made "
        f"{poll['requests']} requests ({poll['errors']} errors); change shown: {poll['shown']} "
        f"({poll['shown_after_s']} s after the editor's process started), "
        f"stale answers after it showed: {poll['stale_after_shown']}\n"
    )
    checks = {
        "no errors under load": load["errors"] == 0,
        "the published change shows, and stays shown": poll["shown"]
        and poll["errors"] == 0
        and poll["stale_after_shown"] == 0,
    }
    for name, passed in checks.items():
        out(f"  {'PASS' if passed else 'FAIL'}  {name}\n")
    out(f"Written to {path} ({result['seconds']} s in all)\n")
    return all(checks.values())


if __name__ == "__main__":
    main()
