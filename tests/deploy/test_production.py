"""The documented production deploy works: `collectstatic` with the production storage (hashed,
compressed files), then gunicorn with the production settings serves the sign-in page with its
stylesheet under a hashed name and the security headers.

Collecting compresses every file (about a minute on two cores): `make test` collects once, before
the tests, into the directory named by TEST_PRODUCTION_STATIC_ROOT, which this test then serves;
run alone, the test collects into its own directory first.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "tdkt.example.gov.vn"

pytestmark = pytest.mark.xdist_group("production")


def production_env(tmp_path: Path, static_root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k" * 20 + "Q7#vX!pL0z@m3-Rt8^sW&yN2bF5hJ" + "e" * 20,
            "ALLOWED_HOSTS": HOST,
            "SIGNING_KEY_PASSPHRASE": "a-deployment-passphrase",
            "DOCUMENTS_PUBLIC_URL": f"https://{HOST}",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "CACHE_DIR": str(tmp_path / "cache"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    # Behind the TLS proxy the deploy documents: it says the request came over HTTPS.
    request = urllib.request.Request(url, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("production")


@pytest.fixture(scope="module")
def static_root(workdir):
    collected = os.environ.get("TEST_PRODUCTION_STATIC_ROOT")
    if collected and (Path(collected) / "staticfiles.json").is_file():
        return Path(collected)
    root = workdir / "static"
    manage("collectstatic", "--noinput", "-v", "0", env=production_env(workdir, root))
    return root


@pytest.fixture(scope="module")
def server(workdir, static_root):
    env = production_env(workdir, static_root)
    manage("migrate", "--noinput", "-v", "0", env=env)
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_production_static_files_are_collected_with_hashed_names(static_root):
    manifest = (static_root / "staticfiles.json").read_text()
    assert re.search(r'"css/app\.css": "css/app\.[0-9a-f]{12}\.css"', manifest)
    # viewflow's Material front end is not shipped (config/staticfiles.py): nothing loads it.
    assert not (static_root / "viewflow").exists()


def test_gunicorn_with_production_settings_serves_the_login_page(server):
    status, headers, body = fetch(f"{server}/login/")

    assert status == 200, body[:2000]
    page = body.decode()
    assert "Đăng nhập" in page
    # Security headers.
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    # The stylesheets under hashed names, served with a long cache lifetime.
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, page
    css_status, css_headers, css = fetch(server + stylesheet.group(1))
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")
    assert "immutable" in css_headers["Cache-Control"]
    assert b".bg-tdkt" in css
    bootstrap = re.search(r'href="(/static/vendor/bootstrap5/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert bootstrap and fetch(server + bootstrap.group(1))[0] == 200


def test_plain_http_is_redirected_to_https(server):
    request = urllib.request.Request(f"{server}/login/", headers={"Host": HOST})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)

    assert raised.value.code == 301
    assert raised.value.headers["Location"] == f"https://{HOST}/login/"
