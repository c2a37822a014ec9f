"""Production as documented: collectstatic writes hashed, compressed files; gunicorn serves them and the pages."""

import http.client
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.production import BASE_DIR, HOST, manage, production_env

HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("production")
    env = production_env(DJANGO_STATIC_ROOT=str(root / "static"), SQLITE_PATH=str(root / "db.sqlite3"))
    env.pop("DATABASE_URL", None)
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return env


@pytest.fixture(scope="module")
def manifest(prod_env) -> dict[str, str]:
    return json.loads((Path(prod_env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text())["paths"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(prod_env):
    port = free_port()
    env = dict(prod_env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    command = [sys.executable, "-m", "gunicorn", "gov30.wsgi", "-c", "gov30/gunicorn.conf.py"]
    log = Path(prod_env["DJANGO_STATIC_ROOT"]).parent / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_for(port, process, log)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start within 30 seconds")


def get(port: int, path: str, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_collectstatic_writes_hashed_and_compressed_files(prod_env, manifest):
    root = Path(prod_env["DJANGO_STATIC_ROOT"])
    for name in ("css/gov30.css", "js/charts.js", "vendor/plotly/plotly.min.js"):
        hashed = manifest[name]
        assert hashed != name
        assert (root / hashed).exists()
        assert (root / f"{hashed}.gz").exists(), f"{hashed} has no compressed copy"


def test_gunicorn_serves_pages_with_the_security_headers(server):
    response, body = get(server, "/accounts/login/", HTTPS)

    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "Secure" in response.getheader("Set-Cookie")
    assert "로그인".encode() in body


def test_gunicorn_redirects_plain_http_to_https(server):
    response, _ = get(server, "/accounts/login/", {"Host": HOST})

    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_pages_link_hashed_static_files_that_whitenoise_serves_compressed(server, manifest):
    _, body = get(server, "/accounts/login/", HTTPS)
    css = f"/static/{manifest['css/gov30.css']}"
    assert css.encode() in body

    response, _ = get(server, css, dict(HTTPS, **{"Accept-Encoding": "gzip"}))

    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
