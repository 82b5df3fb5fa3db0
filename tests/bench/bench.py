"""`make bench`: how fast each page type is, in process and through `make serve`, against the
ceiling of a static file served by the same server, with the demo content and scaled up.

    python -m tests.bench.bench [--scale N] [--duration SECONDS] [--strict]

1. A fresh PostgreSQL database (bench_<time>), migrated, with the demo content; a copy of it
   keeps the demo content while the first gets `load_demo_content --scale N` (N stories and
   N/10 programmes, both languages). Both are vacuumed and analysed (the statistics and
   visibility maps that autovacuum keeps in production, which the query plans depend on).
2. In process, uncached (PAGE_CACHE_SECONDS=0): the median render time of each page type over
   --repeats requests through Django's test client, and its SQL query count, on the demo and
   the scaled database in turn, three rounds each, so that both are measured on the same
   machine (a shared one drifts by tens of percent within minutes). Each page's figure is the
   median of its rounds.
3. `make serve` with the page cache off ("cold": every request renders the page) and then on
   ("warm": served from Redis): wrk on each page type, on the hashed site.css and on a picture
   of the home page (an uploaded image's rendition), requests per second and p50/p99 latency,
   each read against the static file on the same server.
4. On the warm server: each worker's memory before and after 20,000 more requests of a mix of
   pages, searches and the images they show; then a change published as the admin publishes
   it, which the very next anonymous request must show.

Prints the tables and PASS/FAIL per target of issue #7, writes everything to
var/bench/bench-<time>.json, and drops the databases. Exits non-zero on a failed target only
with --strict; always on an error.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

from tests.bench.common import (
    OUTPUT_DIR,
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
from tests.pictures import media_paths

RENDER_TARGET_MS = 25
SCALE_FACTOR_LIMIT = 1.5
SCALE_CHECKED = ["home", "story_index", "story_index_last", "programme_area", "search"]
WARM_SHARE_OF_STATIC = 0.5
MEMORY_REQUESTS = 20_000
MEMORY_GROWTH_LIMIT = 0.10
MEMORY_RUN_SECONDS = 20
MEMORY_SECONDS_LIMIT = 150  # the benchmark must end: fewer requests are reported as such
SLOW_PAGE_MS = 2000
RENDER_TIMEOUT_MS = 10_000
RENDER_ROUNDS = 3
NEVER_CACHED = {"search"}  # search results are never cached (pagecache/middleware.py)
# Measured through make serve beside the pages, but not pages: the ceiling, and a rendition.
NOT_PAGES = {"static", "image", *NEVER_CACHED}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 10000)))
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", 6)),
        help="seconds of wrk per page type and server",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--repeats", type=int, default=30, help="in-process renders per page")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        help="a Redis database of the benchmark's own: it is emptied",
    )
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    return parser.parse_args()


def main():
    options = parse_arguments()
    stop_cleanly_on_sigterm()
    started = time.monotonic()
    run = Run(f"bench-{timestamp()}", options.redis)
    report = {
        "run": run.name,
        "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
        "options": {key: value for key, value in vars(options).items() if key != "redis"},
        "seconds": {},
    }
    say(f"Database {run.database}, Redis {options.redis}")
    runs = {"render_demo": run}
    try:
        run.create_database()
        run.flush_redis()
        report["seconds"]["migrate"] = run.manage("migrate", "--noinput")
        report["seconds"]["load_demo_content"] = run.manage("load_demo_content")
        # The in-process renders use the production settings, whose static files are hashed.
        report["seconds"]["collectstatic"] = run.manage("collectstatic", "--noinput", "-v0")
        if options.scale:
            # The demo content stays in a copy, so that demo and scaled renders can take turns.
            runs = {"render_demo": run.copy("demo"), "render_scaled": run}
            say(f"load_demo_content --scale {options.scale}")
            report["seconds"]["load_scale"] = run.manage(
                "load_demo_content", "--scale", options.scale
            )
        for measured in runs.values():
            measured.analyze()
        say(f"In-process renders: {', '.join(runs)}, in turn, {RENDER_ROUNDS} rounds")
        report.update(render_in_turn(runs, options))
        targets = run.django_json("targets")
        report["http"] = serve_and_measure(run, options, targets, report)
    finally:
        if options.keep_database:
            say(f"Kept database {run.database}")
        else:
            run.clean_up()
        for measured in runs.values():
            if measured is not run:
                measured.drop_database()
    report["seconds"]["total"] = round(time.monotonic() - started, 1)
    report["machine"]["load_after"] = os.getloadavg()
    report["targets"] = check_targets(report)
    path = write_json(run.name, report)
    print_report(report, path)
    if options.strict and not all(target["passed"] for target in report["targets"]):
        sys.exit(1)


def render(run, repeats):
    # A bounded wait for pathologically slow queries, so that the benchmark still ends.
    database_url = f"{run.database_url}?options=-c%20statement_timeout%3D{RENDER_TIMEOUT_MS}"
    return run.django_json("render", str(repeats), PAGE_CACHE_SECONDS=0, DATABASE_URL=database_url)[
        "pages"
    ]


def render_in_turn(runs, options):
    """Each database's renders in turn, round after round, and each page's median over rounds.

    On a shared machine the speed drifts by tens of percent within minutes: demo renders
    measured before the scaled ones would be read against another machine.
    """
    repeats = max(1, options.repeats // RENDER_ROUNDS)
    rounds = {label: [] for label in runs}
    for _ in range(RENDER_ROUNDS):
        for label, run in runs.items():
            rounds[label].append(render(run, repeats))
    return {label: over_rounds(results) for label, results in rounds.items()}


def over_rounds(rounds):
    pages = {}
    for name, last in rounds[-1].items():
        measured = [results[name] for results in rounds]
        pages[name] = {
            **last,
            "median_ms": round(statistics.median(m["median_ms"] for m in measured), 2),
            "cpu_median_ms": round(statistics.median(m["cpu_median_ms"] for m in measured), 2),
            "round_medians_ms": [m["median_ms"] for m in measured],
            "renders": sum(m["renders"] for m in measured),
            "timed_out": any(m.get("timed_out") for m in measured),
        }
    return pages


def serve_and_measure(run, options, targets, report):
    """wrk on each page type, cold then warm; memory and publishing on the warm server.

    A page type that takes over SLOW_PAGE_MS to render in process is left out (with any URL of
    the mix of its kind), and reported as such: a few such requests would hold every worker
    for minutes and leave nothing else worth measuring.
    """
    rendered = report.get("render_scaled") or report["render_demo"]
    too_slow = {name for name, page in rendered.items() if page["median_ms"] > SLOW_PAGE_MS}
    pages = {name: path for name, path in targets["pages"].items() if name not in too_slow}
    mix = targets["mix"]
    if "search" in too_slow:
        mix = [(host, path) for host, path in mix if "/search/" not in path]
    results = {"left_out": sorted(too_slow)}
    for label, settings in (("cold", {"PAGE_CACHE_SECONDS": 0}), ("warm", {})):
        run.flush_redis()
        say(f"make serve, {label}")
        with Server(run, label, **settings) as server:
            results[label] = measure_server(server, options, pages, prime=label == "warm")
            if label == "warm":
                results["memory"] = memory_growth(
                    server, options, with_images(server.base_url, mix), run
                )
                results["publish"] = publish_check(server, run, targets["pages"])
    return results


def static_path():
    manifest = json.loads((OUTPUT_DIR / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def home_picture(server, home):
    """The first picture the home page shows, as a browser would ask for it."""
    answer = fetch(server.base_url, "light.localhost", home)
    return min(media_paths(answer.text))


def measure_server(server, options, pages, prime):
    """wrk on the static file, each page type, and the static file again.

    The better of the two static runs is the ceiling: on a shared machine, a burst of other
    work during one run would otherwise flatter every ratio.
    """
    runs = [
        ("static", static_path()),
        *pages.items(),
        ("image", home_picture(server, pages["home"])),
        ("static_again", static_path()),
    ]
    measured = {}
    for name, path in runs:
        host = "localhost" if name.startswith("static") else "light.localhost"
        for _ in range(2 if prime else 1):  # the second fills the page cache, when it is on
            answer = fetch(server.base_url, host, path)
            if answer.status != 200:
                raise RuntimeError(f"{path} answered {answer.status}")
        say(f"  wrk {name} {path}")
        measured[name] = wrk(
            server.base_url,
            host,
            path,
            duration=options.duration,
            connections=options.connections,
            threads=options.threads,
        )
        measured[name]["path"] = path
        measured[name]["cache"] = answer.headers.get("X-Page-Cache", "")
    again = measured.pop("static_again")
    measured["static"]["rps_runs"] = [measured["static"]["rps"], again["rps"]]
    if again["rps"] > measured["static"]["rps"]:
        measured["static"] = {**again, "rps_runs": measured["static"]["rps_runs"]}
    return measured


def memory_growth(server, options, mix, run):
    """Each worker's RSS after a warm-up pass over the mix, and after 20,000 more requests.

    wrk runs for a time, not a number of requests: runs of at most MEMORY_RUN_SECONDS, each
    sized by the last one's rate, go on until they add up to at least 20,000 requests.
    """
    paths_file = run.directory / "mix.txt"
    paths_file.write_text("".join(f"{host} {path}\n" for host, path in mix), encoding="utf-8")

    def load(seconds):
        return wrk(
            server.base_url,
            duration=max(1, math.ceil(seconds)),
            connections=options.connections,
            threads=options.threads,
            paths_file=paths_file,
        )

    say("  warm-up over the mix")
    warm_up = load(MEMORY_RUN_SECONDS)  # long enough to render every URL of the mix once
    before = server.worker_memory()
    say(f"  {MEMORY_REQUESTS} more requests of the mix ({len(mix)} URLs)")
    runs = []
    deadline = time.monotonic() + MEMORY_SECONDS_LIMIT
    while (
        sum(result["requests"] for result in runs) < MEMORY_REQUESTS and time.monotonic() < deadline
    ):
        rate = max((runs or [warm_up])[-1]["rps"], 1)
        missing = MEMORY_REQUESTS - sum(result["requests"] for result in runs)
        runs.append(load(min(missing / rate * 1.05, MEMORY_RUN_SECONDS)))
    after = server.worker_memory()
    workers = [
        {
            "pid": pid,
            "before_kib": before[pid],
            "after_kib": after.get(pid),
            "growth": round(after[pid] / before[pid] - 1, 4) if pid in after else None,
        }
        for pid in sorted(before)
    ]
    return {"mix_size": len(mix), "warm_up": warm_up, "runs": runs, "workers": workers}


def publish_check(server, run, pages):
    """Publish a change in another process; the very next anonymous request must show it."""
    host = "light.localhost"
    primed = {}
    for name in ("programme", "programme_area"):
        fetch(server.base_url, host, pages[name])
        primed[pages[name]] = fetch(server.base_url, host, pages[name]).headers.get(
            "X-Page-Cache", ""
        )
    marker = f"bench-{time.time_ns()}"
    say(f"  publishing a change ({marker})")
    published = run.django_json("publish", marker)
    checks = []
    for path in published["paths"]:
        answer = fetch(server.base_url, host, path)
        checks.append(
            {
                "path": path,
                "cached_before": primed.get(path, ""),
                "status": answer.status,
                "shows_change": marker in answer.text,
            }
        )
    return {**published, "checks": checks}


def check_targets(report):
    targets = []

    def target(name, passed, detail):
        targets.append({"target": name, "passed": bool(passed), "detail": detail})

    demo = report["render_demo"]
    slow = {name: page["median_ms"] for name, page in demo.items()}
    target(
        f"Uncached render ≤ {RENDER_TARGET_MS} ms median, demo content",
        all(ms <= RENDER_TARGET_MS for ms in slow.values()),
        ", ".join(f"{name} {ms} ms" for name, ms in slow.items()),
    )
    if "render_scaled" in report:
        scaled = report["render_scaled"]
        factors = {name: scaled[name]["median_ms"] / demo[name]["median_ms"] for name in demo}
        target(
            f"At --scale {report['options']['scale']}: listing, search and home ≤ "
            f"{SCALE_FACTOR_LIMIT}× demo",
            all(factors[name] <= SCALE_FACTOR_LIMIT for name in SCALE_CHECKED),
            ", ".join(f"{name} {factors[name]:.2f}×" for name in SCALE_CHECKED),
        )
    warm = report["http"]["warm"]
    ceiling = warm["static"]["rps"]
    shares = {
        name: result["rps"] / ceiling for name, result in warm.items() if name not in NOT_PAGES
    }
    target(
        f"Warm-cache pages ≥ {WARM_SHARE_OF_STATIC:.0%} of the static file's throughput "
        f"({ceiling:.0f} req/s)",
        all(share >= WARM_SHARE_OF_STATIC for share in shares.values()),
        ", ".join(f"{name} {share:.0%}" for name, share in shares.items()),
    )
    memory = report["http"]["memory"]
    growths = [worker["growth"] for worker in memory["workers"]]
    requests = sum(result["requests"] for result in memory["runs"])
    target(
        f"No worker's memory grows > {MEMORY_GROWTH_LIMIT:.0%} over {MEMORY_REQUESTS} requests",
        requests >= MEMORY_REQUESTS
        and all(growth is not None and growth <= MEMORY_GROWTH_LIMIT for growth in growths),
        f"{requests} requests: "
        + ", ".join("gone" if growth is None else f"{growth:+.1%}" for growth in growths),
    )
    if report["http"]["left_out"]:
        target(
            f"Every page type renders in under {SLOW_PAGE_MS} ms, so that it can be load-tested",
            False,
            "left out of the HTTP runs: " + ", ".join(report["http"]["left_out"]),
        )
    checks = report["http"]["publish"]["checks"]
    target(
        "A published change shows on the very next anonymous request",
        all(check["status"] == 200 and check["shows_change"] for check in checks),
        ", ".join(
            f"{check['path']} {'shown' if check['shows_change'] else 'NOT shown'}"
            f" (was cached: {check['cached_before'] or 'no'})"
            for check in checks
        ),
    )
    errors = sum(
        result["errors"]
        for server in ("cold", "warm")
        for result in report["http"][server].values()
    )
    errors += sum(result["errors"] for result in report["http"]["memory"]["runs"])
    target("No HTTP errors in any run", errors == 0, f"{errors} errors")
    return targets


def milliseconds(page):
    """The median render time, as a lower bound when the statement timeout cut it short."""
    return f"{'>' if page.get('timed_out') else ''}{page['median_ms']:.1f}"


def print_report(report, path):
    out = sys.stdout.write
    demo, scaled = report["render_demo"], report.get("render_scaled")
    scale = report["options"]["scale"]
    out(
        "\nIn process, uncached: median wall-clock ms per request (and the Python process's own "
        "CPU ms), SQL queries\n"
    )
    header = f"{'page':<18}{'demo ms':>9}{'(cpu)':>8}{'queries':>8}"
    if scaled:
        header += f"{f'scale {scale}':>13}{'(cpu)':>8}{'queries':>8}{'× demo':>8}"
    out(header + "\n")
    for name, page in demo.items():
        line = f"{name:<18}{milliseconds(page):>9}{page['cpu_median_ms']:>8.1f}{page['queries']:>8}"
        if scaled:
            other = scaled[name]
            factor = other["median_ms"] / page["median_ms"]
            line += (
                f"{milliseconds(other):>13}{other['cpu_median_ms']:>8.1f}{other['queries']:>8}"
                f"{factor:>8.2f}"
            )
        out(line + "\n")

    http = report["http"]
    out(
        f"\nThrough make serve (wrk, {report['options']['connections']} connections, "
        f"{report['options']['duration']} s each; data: "
        f"{'scale ' + str(scale) if scale else 'demo content'})\n"
    )
    out(
        f"{'':<18}{'cold req/s':>11}{'p50':>8}{'p99':>8}{'÷static':>8}"
        f"{'warm req/s':>12}{'p50':>8}{'p99':>8}{'÷static':>8}\n"
    )
    cold_static, warm_static = http["cold"]["static"]["rps"], http["warm"]["static"]["rps"]
    for name in http["warm"]:
        cold, warm = http["cold"][name], http["warm"][name]
        out(
            f"{name:<18}{cold['rps']:>11.0f}{cold['p50_ms']:>8.1f}{cold['p99_ms']:>8.1f}"
            f"{cold['rps'] / cold_static:>8.2f}{warm['rps']:>12.0f}{warm['p50_ms']:>8.1f}"
            f"{warm['p99_ms']:>8.1f}{warm['rps'] / warm_static:>8.2f}\n"
        )
    for name in http["left_out"]:
        page = (scaled or demo)[name]
        slowness = "over" if page.get("timed_out") else ""
        out(
            f"{name:<18}left out: {slowness} {page['median_ms'] / 1000:.1f} s per render in "
            "process\n"
        )
    memory = http["memory"]
    requests = sum(result["requests"] for result in memory["runs"])
    elapsed = sum(result["seconds"] for result in memory["runs"])
    out(
        f"\nMemory over {requests} requests of a {memory['mix_size']}-URL mix "
        f"({requests / elapsed:.0f} req/s, worst p99 "
        f"{max(result['p99_ms'] for result in memory['runs']):.0f} ms): "
        + ", ".join(
            f"{worker['before_kib'] // 1024}→{(worker['after_kib'] or 0) // 1024} MiB"
            for worker in memory["workers"]
        )
        + "\n"
    )
    load = report["machine"]
    out(
        f"Load average (1 min) before {load['load_before'][0]:.1f}, after "
        f"{load['load_after'][0]:.1f} on {load['cpus']} CPUs"
        + (" - other work was running: figures are low" if load["load_before"][0] > 1 else "")
        + "\n"
    )
    seconds = report["seconds"]
    out(
        "Time: "
        + ", ".join(f"{step} {value:.0f} s" for step, value in seconds.items())
        + "\n\nTargets\n"
    )
    for target in report["targets"]:
        out(f"  {'PASS' if target['passed'] else 'FAIL'}  {target['target']}: {target['detail']}\n")
    out(f"\nWritten to {path.relative_to(OUTPUT_DIR.parents[1])}\n")


if __name__ == "__main__":
    main()
