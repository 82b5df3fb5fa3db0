"""What `make bench` and `make loadtest` share: a throwaway PostgreSQL database, `make serve`,
wrk, and the Django-side helpers run as separate processes with the same settings.

Nothing here imports Django: each Django step runs in its own process (manage.py, or
`python -m tests.bench.<module>`) with the environment the production server gets, so the
benchmark measures the configuration that is deployed.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
OUTPUT_DIR = ROOT / "var" / "bench"
WRK = "/usr/bin/wrk"
MAKE = "/usr/bin/make"
REPORT_SCRIPT = str(Path(__file__).with_name("report.lua"))
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
HOSTS = "light.localhost,life.localhost,localhost,127.0.0.1"


def say(message):
    """Progress, on stderr, so that stdout keeps only the report."""
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def stop_cleanly_on_sigterm():
    """Stopped by a timeout or CI, still stop the server and drop the database on the way out."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def timestamp():
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def write_json(name, data):
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


class Run:
    """One benchmark run: its database, Redis database, media directory and environment."""

    def __init__(self, name, redis_url, database=None):
        self.name = name
        self.database = database or name.replace("-", "_")
        self.database_url = f"{POSTGRES_SERVER}/{self.database}"
        self.redis_url = redis_url
        self.directory = OUTPUT_DIR / name
        self.directory.mkdir(parents=True, exist_ok=True)

    def copy(self, suffix):
        """Another run on a copy of this run's database as it is now, with cache keys of its own."""
        copy = Run(self.name, self.redis_url, database=f"{self.database}_{suffix}")
        run_quietly(
            ["/usr/bin/createdb", *postgres_options(), "--template", self.database, copy.database]
        )
        return copy

    def environment(self, **overrides):
        """The production settings, as `make serve` gives them, on this run's database."""
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": HOSTS,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": self.database,  # two runs' databases may share a Redis database
            "MEDIA_ROOT": str(self.directory / "media"),
            # Shared by the runs, apart from the var/static that others' `make serve` writes.
            "STATIC_ROOT": str(OUTPUT_DIR / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        environment.update({key: str(value) for key, value in overrides.items()})
        return environment

    def create_database(self):
        run_quietly(["/usr/bin/createdb", *postgres_options(), self.database])

    def drop_database(self):
        run_quietly(
            ["/usr/bin/dropdb", *postgres_options(), "--if-exists", "--force", self.database]
        )

    def flush_redis(self):
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()

    def analyze(self):
        """Table statistics and visibility maps, as autovacuum makes them in production soon
        after a bulk load.

        Query plans depend on them: measuring before they exist measures another database, and
        measuring while autovacuum catches up measures autovacuum.
        """
        run_quietly(["/usr/bin/psql", *postgres_options(), "-c", "VACUUM ANALYZE", self.database])

    def manage(self, *arguments, **overrides):
        started = time.perf_counter()
        run_quietly([PYTHON, "manage.py", *map(str, arguments)], env=self.environment(**overrides))
        return time.perf_counter() - started

    def django_json(self, module, *arguments, **overrides):
        """Run tests/bench/<module>.py with Django set up; it prints one JSON document."""
        completed = subprocess.run(
            [PYTHON, "-m", f"tests.bench.{module}", *arguments],
            cwd=ROOT,
            env=self.environment(**overrides),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(f"tests.bench.{module} failed:\n{completed.stderr[-4000:]}")
        return json.loads(completed.stdout)

    def clean_up(self):
        """Drop the database and the uploaded images; the logs stay in the run's directory."""
        self.drop_database()
        shutil.rmtree(self.directory / "media", ignore_errors=True)


def postgres_options():
    server = POSTGRES_SERVER.removeprefix("postgres://")
    user, _, address = server.rpartition("@")
    host, _, port = address.partition(":")
    return ["-h", host, "-p", port or "5432", "-U", user or "postgres"]


def run_quietly(command, **kwargs):
    completed = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs
    )
    if completed.returncode:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{completed.stderr[-4000:]}")
    return completed


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`make serve` on a free port, stopped (with its workers) on leaving the block."""

    def __init__(self, run, label, **settings):
        self.run = run
        self.label = label
        self.port = free_port()
        self.pid_file = run.directory / f"gunicorn-{label}.pid"
        self.log_file = run.directory / f"server-{label}.log"
        self.settings = settings
        self.process = None

    def __enter__(self):
        environment = self.run.environment(
            PORT=self.port,
            # Several servers may run on this machine: no shared control socket (see STYLE.md).
            GUNICORN_CMD_ARGS=f"--no-control-socket --pid {self.pid_file}",
            **self.settings,
        )
        # make serve chooses these itself (and keeps its secret key in var/secret_key).
        for name in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"):
            del environment[name]
        with self.log_file.open("w") as log:
            # -o: never reinstall the virtualenv from here, whatever the timestamps say.
            self.process = subprocess.Popen(  # noqa: S603 - fixed command
                [MAKE, "--no-print-directory", "-o", ".venv/bin/.installed", "serve"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until_ready()
        return self

    def __exit__(self, *exc_info):
        with contextlib.suppress(ProcessLookupError):
            # SIGINT: gunicorn's quick shutdown; SIGTERM would wait for idle keep-alive clients.
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_until_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve stopped; see {self.log_file}")
            with contextlib.suppress(OSError):
                if fetch(self.base_url, "localhost", "/healthz").status == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"make serve did not answer in {timeout} s; see {self.log_file}")

    def worker_pids(self):
        master = int(self.pid_file.read_text())
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return sorted(int(pid) for pid in children)

    def worker_memory(self):
        """Each worker's resident memory in KiB, from /proc/<pid>/status."""
        memory = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    memory[pid] = int(line.split()[1])
        return memory


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


def fetch(base_url, host, path, timeout=10):
    """One anonymous GET with the site's Host header; HTTP errors are returned, not raised."""
    request = urllib.request.Request(base_url + path, headers={"Host": host})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def with_images(base_url, pairs):
    """The (host, path) pairs, followed by every uploaded image their pages show.

    The load then asks for pictures as browsers do, so a broken media path counts as errors.
    """
    from tests.pictures import media_paths

    images = {}
    for host, path in pairs:
        answer = fetch(base_url, host, path, timeout=60)
        if answer.status == 200 and "html" in answer.headers.get("Content-Type", ""):
            for image in sorted(media_paths(answer.text)):
                images.setdefault(image, host)
    return [*pairs, *((host, image) for image, host in images.items())]


def wrk(
    base_url,
    host="localhost",
    path="/",
    *,
    duration,
    connections=32,
    threads=2,
    paths_file=None,
    headers=(),
):
    """Run wrk and return its summary (see report.lua) with rates and milliseconds added."""
    arguments = [WRK, f"-t{threads}", f"-c{connections}", "--timeout", "10s", "-s", REPORT_SCRIPT]
    for header in (f"Host: {host}", *headers):
        arguments += ["-H", header]
    arguments += [f"-d{duration}s", base_url + path]
    if paths_file:
        arguments += ["--", str(paths_file)]
    completed = run_quietly(arguments)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON "))
    summary = json.loads(line.removeprefix("WRK_JSON "))
    seconds = summary["duration_us"] / 1e6
    errors = summary["errors"]
    return {
        "requests": summary["requests"],
        "seconds": round(seconds, 2),
        "rps": round(summary["requests"] / seconds, 1),
        "p50_ms": round(summary["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(summary["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(summary["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(summary["latency_us"]["max"] / 1000, 2),
        "errors": sum(errors.values()),
        "error_detail": errors,
        "bytes_per_request": round(summary["bytes"] / max(summary["requests"], 1)),
    }
