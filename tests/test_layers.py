"""The layers stay as docs/architecture.md draws them: `core` is a kernel that imports
nothing of Vigil (the apps build on it, never the reverse)."""

from __future__ import annotations

import ast
from pathlib import Path

import vigil.core


def _vigil_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "vigil" or name.startswith("vigil.")}


def test_core_imports_nothing_of_vigil() -> None:
    root = Path(vigil.core.__file__).parent
    files = [p for p in root.rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 10
    outside = {
        str(path.relative_to(root)): sorted(
            name for name in _vigil_imports(path) if not name.startswith("vigil.core")
        )
        for path in files
    }
    assert {path: names for path, names in outside.items() if names} == {}


def test_forecasting_knows_nothing_of_django_or_vigil() -> None:
    """The forecast's arithmetic (issue 13) is pure Python: numpy and statsmodels, fed by an
    adapter in `vigil.workforce`."""
    import forecasting

    root = Path(forecasting.__file__).parent
    files = [p for p in root.rglob("*.py") if "tests" not in p.parts]
    assert len(files) >= 4
    imported: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & {"django", "vigil", "rest_framework"}, imported
