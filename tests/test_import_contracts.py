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


@pytest.mark.parametrize(
    ("module", "wrong_import", "contract"),
    [
        ("core/text.py", "from forum.board import services", "core imports no other part of the forum"),
        ("board/services.py", "from forum.notifications import services as _n",
         "the board's rules know nothing of what follows from a post (events carry it)"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_breaks_its_contract(tmp_path, module, wrong_import, contract):
    tree = _copy(tmp_path)
    source = tree / "forum" / module
    source.write_text(source.read_text() + f"\n{wrong_import}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
