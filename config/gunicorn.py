"""gunicorn's settings, the same for `make serve`, the Docker image and compose.

Every choice can be changed from the environment: PORT, HOST (127.0.0.1; the image sets
0.0.0.0), WEB_CONCURRENCY (workers: two per core and one), GUNICORN_THREADS (per worker) and
FORWARDED_ALLOW_IPS (the proxies whose X-Forwarded-* headers gunicorn trusts).
"""

import os

wsgi_app = "config.wsgi"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# The cores this process may use, which in a container can be fewer than the machine's.
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) * 2 + 1))
# A second thread lets a worker answer cached pages while another request waits on the
# database (docs/benchmarks.md).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
accesslog = "-"
# gunicorn's control socket lives at one path per user, shared by every gunicorn on the machine
# (tests and benchmarks start several); nothing here uses it.
control_socket_disable = True
