"""Every stored notebook is the build of its source: no one edited a build product by hand,
and no source changed without `make notebooks`."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "tools" / "build_notebooks.py")
assert _spec is not None
assert _spec.loader is not None
build_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_notebooks)

TARGETS = build_notebooks.targets()


def test_every_source_has_its_notebooks() -> None:
    assert len(TARGETS) >= 7 + 3 + 2 * 6          # lessons, reports, exercises (both copies)
    for _, output, _ in TARGETS:
        assert output.is_file(), f"{output} is missing: run make notebooks"


@pytest.mark.parametrize(("source", "output", "learner"), TARGETS,
                         ids=[str(o.relative_to(ROOT)) for _, o, _ in TARGETS])
def test_stored_notebook_matches_its_source(source: Path, output: Path, learner: bool) -> None:
    expected = build_notebooks.convert(source, learner)
    stored = nbformat.read(output, as_version=4)
    assert [(c.cell_type, c.source) for c in stored.cells] == [
        (c.cell_type, c.source) for c in expected.cells
    ], f"{output.name} is out of date with {source.name}: run make notebooks"
    assert [c.metadata.get("tags", []) for c in stored.cells] == [
        c.metadata.get("tags", []) for c in expected.cells
    ]


SOURCES = sorted({source for source, _, _ in TARGETS})
#: A private name: a module or attribute whose name starts with one underscore.
_PRIVATE = re.compile(r"\b(?:devvolume|dv)(?:\.\w+)*\._[a-z]\w*")


@pytest.mark.parametrize("source", SOURCES, ids=[str(s.relative_to(ROOT)) for s in SOURCES])
def test_notebooks_use_the_public_api(source: Path) -> None:
    """Lessons, exercises and reports read as a user's code would: ``import devvolume as dv``."""
    code = "\n".join(
        cell.source for cell in jupytext.read(source).cells if cell.cell_type == "code"
    )
    assert "import devvolume as dv" in code, f"{source.name}: use `import devvolume as dv`"
    imports = re.findall(r"^\s*(?:from devvolume\S*\s+import .*|import devvolume\S*.*)$", code,
                         flags=re.MULTILINE)  # fmt: skip
    allowed = re.compile(r"^\s*(import devvolume as dv|from devvolume\.teach\.exercises import .*)$")
    assert [line for line in imports if not allowed.match(line)] == [], source.name
    assert _PRIVATE.findall(code) == [], f"{source.name} uses private names"
