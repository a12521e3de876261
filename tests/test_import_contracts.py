"""Imports point one way (core <- policy <- areas <- feature packages <- views): the import-linter contracts in
setup.cfg hold for the code, and they do fail when a lower layer imports a higher one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (make test installs it)")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env={"PYTHONPATH": str(tree), "PATH": ""},
        capture_output=True, text=True, timeout=300,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "forum", tree / "forum", ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(ROOT / "setup.cfg", tree / "setup.cfg")
    return tree


def test_the_code_keeps_the_import_contracts(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_importing_an_area_breaks_the_contract(tmp_path):
    tree = _copy(tmp_path)
    text = tree / "forum" / "core" / "text.py"
    text.write_text(text.read_text() + "\nfrom forum.board import services  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "core imports no other part of the forum BROKEN" in result.stdout


def test_the_board_importing_notifications_breaks_the_contract(tmp_path):
    tree = _copy(tmp_path)
    services = tree / "forum" / "board" / "services.py"
    services.write_text(services.read_text() + "\nfrom forum.notifications import services as _n  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "the board's rules know nothing of what follows from a post (events carry it) BROKEN" in result.stdout
