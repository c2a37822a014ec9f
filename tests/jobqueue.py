"""The two task backends the background jobs run on, for the job tests: the database backend, and RQ on a real
Redis — the one at ``REDIS_URL`` (``.ci/run`` starts Debian's redis-server and sets it), or one started here when
``redis-server`` is installed. Without Redis the RQ runs are skipped, except in CI (``CI`` set), where they fail."""

import os
import shutil
import socket
import subprocess
import time

import pytest

BACKENDS = {
    "database": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    "rq": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (apt-get install redis-server), and REDIS_URL is not set")
        pytest.skip("no Redis here (REDIS_URL unset, redis-server not installed)")
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=list(BACKENDS))
def task_backend(request, settings) -> str:
    """Each job test runs once on the database backend and once on RQ against Redis."""
    name = request.param
    settings.GOV30_TASK_BACKEND = name
    settings.TASKS = BACKENDS[name]
    if name == "rq":
        import django_rq

        url = request.getfixturevalue("redis_url")
        settings.RQ_QUEUES = {"default": {**settings.RQ_QUEUES["default"], "URL": url}}
        django_rq.get_connection("default").flushdb()
    return name
