"""Every relative link in the repository's Markdown resolves inside a clone.

A link must name a file or folder that exists, lies inside the repository (not ``../shared/…``
beside the checkout) and is not ignored by git (``build/…`` exists here, not in a clone). Web
links and in-page anchors are not followed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The Markdown a reader of the repository follows links from.
DOCUMENTS = ("*.md", "docs/**/*.md", "datasets/*/README.md", "benchmarks/*.md")

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
HTML = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def documents() -> list[Path]:
    found = {path for pattern in DOCUMENTS for path in ROOT.glob(pattern)}
    return sorted(found)


def relative_links(text: str) -> list[str]:
    """The link targets of a Markdown text that point into the file system."""
    text = FENCE.sub("", text)
    targets = [*INLINE.findall(text), *REFERENCE.findall(text), *HTML.findall(text)]
    return [target for target in targets if not EXTERNAL.match(target)]


def ignored(paths: list[Path]) -> set[Path]:
    """Those of ``paths`` git ignores (empty when git or the work tree is not there)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists() or not paths:
        return set()
    done = subprocess.run([git, "check-ignore", "--no-index", "--stdin", "-z"], cwd=ROOT,
                          input="\0".join(map(str, paths)), capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    return {Path(line) for line in done.stdout.split("\0") if line}


def broken_links(text: str, base: Path) -> list[str]:
    """Each link of a Markdown text in folder ``base`` that would not resolve in a clone."""
    problems = []
    resolved: dict[Path, str] = {}
    for target in relative_links(text):
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            continue
        where = (ROOT / path.lstrip("/") if path.startswith("/") else base / path).resolve()
        if not where.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not where.exists():
            problems.append(f"{target}: no such file")
        else:
            resolved[where] = target
    problems += [f"{resolved[path]}: ignored by git, so missing in a clone"
                 for path in ignored(list(resolved))]
    return problems


def test_the_documents_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in documents()}
    assert {"README.md", "CHANGELOG.md", "docs/definitions.md", "benchmarks/README.md",
            "datasets/directsales/README.md"} <= names


@pytest.mark.parametrize("document", documents(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_relative_links_resolve_inside_the_repository(document: Path) -> None:
    assert broken_links(document.read_text(encoding="utf-8"), document.parent) == []


def test_the_checker_finds_broken_links() -> None:
    text = ("[design](../shared/DESIGN.md) [ok](docs/definitions.md#口径) [web](https://x.org) "
            "[anchor](#top) ![img](nowhere.png)\n```\n[in code](nowhere.md)\n```\n"
            '[ref]: ./missing.md\n<a href="src/devvolume/__init__.py">init</a>\n')
    assert relative_links(text) == ["../shared/DESIGN.md", "docs/definitions.md#口径",
                                    "nowhere.png", "./missing.md", "src/devvolume/__init__.py"]
    assert broken_links(text, ROOT) == ["../shared/DESIGN.md: outside the repository",
                                        "nowhere.png: no such file", "./missing.md: no such file"]


def test_the_checker_refuses_what_a_clone_lacks() -> None:
    if not ignored([ROOT / ".venv"]):
        pytest.skip("needs git and the ignored .venv of a checkout")
    assert broken_links("[env](.venv/)", ROOT) == [".venv/: ignored by git, so missing in a clone"]
