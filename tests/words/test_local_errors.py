"""`make run` (config.settings.local) shows the office's own error pages, never Django's technical
ones: debug is off unless asked for, and the static files are still served (WhiteNoise finds them
in the apps and static/)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/")
    css = client.get("/static/css/app.css")
    print(settings.DEBUG, missing.status_code, css.status_code)
    print(missing.content.decode())
    """
)


def run_local(tmp_path, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'local.sqlite3'}",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    first, _, page = done.stdout.partition("\n")
    return first.split(), page


def test_a_missing_page_under_make_run_is_our_404_in_vietnamese(tmp_path):
    (debug, missing, css), page = run_local(tmp_path)
    assert debug == "False"
    assert (missing, css) == ("404", "200")
    assert "Không tìm thấy" in page and "Trang chủ" in page
    assert "Page not found" not in page and "URLconf" not in page


def test_debug_stays_available_on_request(tmp_path):
    (debug, missing, _css), page = run_local(tmp_path, DEBUG="1")
    assert debug == "True" and missing == "404"
    assert "URLconf" in page  # Django's technical page: what DEBUG=1 asks for
