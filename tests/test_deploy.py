"""Production settings: `check --deploy` is clean when configured, and no default secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env_extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SIGNING_KEY_PASSPHRASE")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issue_when_configured():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "k" * 20 + "Q7#vX!pL0z@m3-Rt8^sW&yN2bF5hJ" + "e" * 20,
            "ALLOWED_HOSTS": "tdkt.example.gov.vn",
            "SIGNING_KEY_PASSPHRASE": "a-deployment-passphrase",
            "DOCUMENTS_PUBLIC_URL": "https://tdkt.example.gov.vn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env_extra={"ALLOWED_HOSTS": "tdkt.example.gov.vn"})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "Q7#vX!pL0z@m3-Rt8^sW&yN2bF5hJ" + "e" * 20,
    "ALLOWED_HOSTS": "tdkt.example.gov.vn",
    "SIGNING_KEY_PASSPHRASE": "a-deployment-passphrase",
    "DOCUMENTS_PUBLIC_URL": "https://tdkt.example.gov.vn",
}


def test_production_has_no_demo_data_command():
    """The demo world (demo/) is installed by the local and test settings only."""
    result = manage("help", "seed_demo", env_extra=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
    listed = manage("help", "--commands", env_extra=PRODUCTION_ENV)
    assert listed.returncode == 0, listed.stderr
    assert "seed_demo" not in listed.stdout.split()
