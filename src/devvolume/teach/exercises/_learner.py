"""Make the learner copy of an exercise notebook from the instructor source.

The instructor source has the solutions. Cells tagged ``solution`` become blanks in the learner
copy: each top-level assignment ``name = …`` turns into ``name = ____``, and every other line of
the cell goes, so no part of the answer is left behind.
"""

from __future__ import annotations

import ast
import copy

import nbformat

SOLUTION_TAG = "solution"
BLANK_COMMENT = "  # 在这里写出你的答案"


def learner_source(code: str) -> str:
    r"""Blank out a solution cell's code.

    Examples
    --------
    >>> print(learner_source("import x\nanswer = (x.a\n          + 1)\nrate = 0.5"))
    answer = ____  # 在这里写出你的答案
    rate = ____  # 在这里写出你的答案
    """
    names = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                names.append(target.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    if not names:
        return "# 在这里写出你的代码"
    return "\n".join(f"{name} = ____{BLANK_COMMENT}" for name in names)


def learner_copy(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the learner copy of an instructor notebook (outputs cleared)."""
    learner = copy.deepcopy(notebook)
    for cell in learner.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.source = learner_source(cell.source)
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != SOLUTION_TAG]
            cell.metadata["tags"].append("answer")
    return learner
