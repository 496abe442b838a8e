"""The one-way rule of DESIGN.md ("Layout") is enforced by import-linter's contract in
pyproject.toml, which `make test` runs. These tests prove the contract holds today and that it
would catch a lower app importing a higher one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "config",
    "demo",
    "notices",
    "reports",
    "public",
    "inspection",
    "meetings",
    "contests",
    "honours",
    "clusters",
    "workflows",
    "emulation",
    "initiatives",
    "documents",
    "fund",
    "approvals",
    "dossiers",
    "org",
    "audit",
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path):
    """The project's Python packages and its pyproject.toml, without templates or data."""
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("*.html", "*.css", "__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("audit/models.py", "dossiers"),
        ("dossiers/services.py", "workflows"),
        ("workflows/views.py", "meetings"),
        ("meetings/views.py", "notices"),
    ],
)
def test_a_lower_app_importing_a_higher_one_breaks_the_build(copy_of_the_code, lower, higher):
    module = copy_of_the_code / lower
    module.write_text(module.read_text() + f"\nimport {higher}  # noqa\n")
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"{lower.split('/')[0]}" in result.stdout and higher in result.stdout


def test_sibling_page_apps_do_not_import_each_other(copy_of_the_code):
    module = copy_of_the_code / "inspection/views.py"
    module.write_text(module.read_text() + "\nimport meetings.views  # noqa\n")
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0, result.stdout
