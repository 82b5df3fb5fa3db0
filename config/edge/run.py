"""`make edge`: Varnish on PORT in front of two app servers sharing PostgreSQL and Redis.

The whole production picture on one machine (docs/operations.md): each app server is what
`make serve` runs (gunicorn, production settings) on PORT+1 and PORT+2, both purging the edge.
Ctrl-C stops all three.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[2]
VCL = Path(__file__).resolve().parent / "default.vcl"
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
SETUP_COMMANDS = [
    ["migrate", "--noinput"],
    ["load_demo_content"],
    ["collectstatic", "--noinput", "-v0"],
]


def vcl_for(app_ports, directory, host="127.0.0.1"):
    """The repository's VCL with the app servers' addresses filled in."""
    text = VCL.read_text()
    for number, port in enumerate(app_ports, start=1):
        text = text.replace(f'"APP_PORT_{number}"', f'"{port}"')
        text = text.replace(f'"APP_HOST_{number}"', f'"{host}"')
    path = directory / "default.vcl"
    path.write_text(text)
    return path


def ensure_database(url):
    """Create the PostgreSQL database named in `url` if it is missing."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = f"postgresql://{parts.netloc}/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def environment(port):
    secret = BASE_DIR / "var" / "secret_key"
    secret.parent.mkdir(exist_ok=True)
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(64))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret.read_text().strip(),
        "ALLOWED_HOSTS": os.environ.get(
            "ALLOWED_HOSTS", "light.localhost,life.localhost,localhost,127.0.0.1"
        ),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ngo_sites_edge"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "EDGE_PURGE_URLS": f"http://127.0.0.1:{port}",
        "GUNICORN_CMD_ARGS": "--no-control-socket",
    }


def start(port, directory):
    """Start Varnish and the two app servers; returns the processes."""
    env = environment(port)
    app_ports = [port + 1, port + 2]
    processes = [varnish(port, app_ports, directory)]  # first, so that set-up purges reach it
    if env["DATABASE_URL"].startswith("postgres"):
        ensure_database(env["DATABASE_URL"])
    for command in SETUP_COMMANDS:
        subprocess.run([*MANAGE, *command], env=env, check=True, cwd=BASE_DIR)  # noqa: S603
    processes += [
        subprocess.Popen(  # noqa: S603 - a fixed command
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "config/gunicorn.py"],
            env={**env, "PORT": str(app_port)},
            cwd=BASE_DIR,
            start_new_session=True,
        )
        for app_port in app_ports
    ]
    return processes


def varnish(port, app_ports, directory):
    """varnishd in the foreground on `port`, with the repository's VCL."""
    return subprocess.Popen(  # noqa: S603 - a fixed command
        [
            shutil.which("varnishd") or "/usr/sbin/varnishd",
            "-F",
            "-j",
            "none",
            "-a",
            f"127.0.0.1:{port}",
            "-n",
            str(directory / "varnish"),
            "-f",
            str(vcl_for(app_ports, directory)),
            "-s",
            "malloc,256m",
            # The app compresses (Brotli or gzip); Varnish keeps a variant per encoding.
            "-p",
            "http_gzip_support=off",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    port = parser.parse_args().port
    directory = BASE_DIR / "var" / "edge"
    directory.mkdir(parents=True, exist_ok=True)
    processes = start(port, directory)
    print(  # noqa: T201
        f"Edge on http://light.localhost:{port}/ and http://life.localhost:{port}/, "
        f"app servers on {port + 1} and {port + 2}. Ctrl-C stops them."
    )
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
