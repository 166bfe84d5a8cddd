"""Build every notebook from its source and store its outputs deterministically.

Sources are jupytext percent files:

- ``notebooks/source/*.py``          -> ``notebooks/*.ipynb`` (lessons)
- ``notebooks/reports/source/*.py``  -> ``notebooks/reports/*.ipynb`` (report templates)
- ``exercises/source/*.py``          -> ``exercises/solutions/*.ipynb`` (instructor, with answers)
                                        and ``exercises/*.ipynb`` (learner copy, blanks)

Each notebook is executed in a fresh kernel with its default parameters. Volatile parts of the
outputs (widget model ids, execution timing) are made deterministic so that two builds give
identical files and nbval can hold the outputs.

Usage: ``python tools/build_notebooks.py [PATTERN ...] [--no-execute] [--jobs N]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbclient import NotebookClient

from devvolume.teach.exercises._learner import learner_copy

ROOT = Path(__file__).resolve().parent.parent
# The kernels inherit this environment: a builder's own learner name must never end up recorded
# into the repository's exercise folder or shown in a stored output.
for _variable in ("DEVVOLUME_LEARNER", "DEVVOLUME_WORKSPACE"):
    os.environ.pop(_variable, None)
TIMEOUT_SECONDS = 600
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def targets() -> list[tuple[Path, Path, bool]]:
    """(source, output, is_learner_copy) for every notebook."""
    jobs = []
    for source in sorted((ROOT / "notebooks" / "source").glob("*.py")):
        jobs.append((source, ROOT / "notebooks" / f"{source.stem}.ipynb", False))
    for source in sorted((ROOT / "notebooks" / "reports" / "source").glob("*.py")):
        jobs.append((source, ROOT / "notebooks" / "reports" / f"{source.stem}.ipynb", False))
    for source in sorted((ROOT / "exercises" / "source").glob("*.py")):
        jobs.append((source, ROOT / "exercises" / "solutions" / f"{source.stem}.ipynb", False))
        jobs.append((source, ROOT / "exercises" / f"{source.stem}.ipynb", True))
    return jobs


def convert(source: Path, learner: bool) -> nbformat.NotebookNode:
    """The notebook a source describes, not yet run (the learner copy has blanks)."""
    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata["language_info"] = {"name": "python"}
    return learner_copy(notebook) if learner else notebook


def build(source: Path, output: Path, learner: bool, execute: bool) -> str:
    notebook = convert(source, learner)
    if execute:
        client = NotebookClient(notebook, timeout=TIMEOUT_SECONDS, kernel_name="python3",
                                record_timing=False,
                                resources={"metadata": {"path": str(output.parent)}})
        client.execute()
    stabilise(notebook)
    output.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(notebook) + "\n"
    if not output.exists() or output.read_text(encoding="utf-8") != text:
        output.write_text(text, encoding="utf-8")
        return f"wrote     {output.relative_to(ROOT)}"
    return f"unchanged {output.relative_to(ROOT)}"


def stabilise(notebook: nbformat.NotebookNode) -> None:
    """Replace run-to-run noise with stable values."""
    notebook.metadata.pop("widgets", None)
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
        cell["id"] = hashlib.sha1(f"{index}".encode()).hexdigest()[:8]
        for number, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(_WIDGET_VIEW)
            if view:
                view["model_id"] = hashlib.sha1(f"{index}-{number}".encode()).hexdigest()[:32]
            if output.get("output_type") == "execute_result":
                output["execution_count"] = cell.get("execution_count")
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)


def coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive prints to the same stream: how a kernel splits them depends on timing."""
    joined: list[Any] = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous["name"] == output["name"]):
            previous["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="build only sources whose name matches")
    parser.add_argument("--no-execute", action="store_true", help="convert without running")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    jobs = [j for j in targets()
            if not args.patterns or any(re.search(p, str(j[0])) for p in args.patterns)]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(build, s, o, learner, not args.no_execute) for s, o, learner in jobs]
        failed = 0
        for (source, _, _), future in zip(jobs, futures, strict=True):
            try:
                print(future.result(), flush=True)
            except Exception as exc:  # report every failing notebook, then fail the build
                failed += 1
                print(f"FAILED    {source.relative_to(ROOT)}: {exc}", file=sys.stderr, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
