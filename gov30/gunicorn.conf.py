"""gunicorn for gov30, behind a TLS-terminating reverse proxy on the same host.

    gunicorn gov30.wsgi -c gov30/gunicorn.conf.py

Environment: GUNICORN_BIND (127.0.0.1:8000), WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT (seconds),
GUNICORN_FORWARDED_ALLOW_IPS (proxies trusted for X-Forwarded-*), GUNICORN_LOG_LEVEL.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# SQLite copes with several writers (WAL, busy timeout); more than a handful only adds lock waits.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows unbounded.
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
