"""Build hook: put the course kit into the wheel as package data, ``devvolume/kit/``.

The kit's files stay where they are in the repository (``datasets/``, ``notebooks/``,
``exercises/``) and are copied into the built package here, so that an installed wheel carries
the case datasets and the notebooks without a second copy in git. ``devvolume._kit`` finds them
in either place. Everything else about the package is declared in ``pyproject.toml``;
``MANIFEST.in`` puts the same files into the sdist, so a wheel built from the sdist has them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What the kit ships, by folder: glob patterns inside that folder of the repository. Only what a
#: learner or a report needs: no jupytext sources, no exercise solutions.
KIT: dict[str, tuple[str, ...]] = {
    "datasets": ("*/*.csv", "*/README.md"),
    "notebooks": ("[0-9][0-9]_*.ipynb", "reports/*.ipynb"),
    "exercises": ("[0-9][0-9]_*.ipynb",),
    "examples": ("crm/*/*.csv", "crm/README.md"),
}


def kit_files(root: Path = ROOT) -> dict[str, Path]:
    """Map each kit file's path inside ``kit/`` to the file in the repository (or sdist)."""
    files: dict[str, Path] = {}
    for folder, patterns in KIT.items():
        found = [path for pattern in patterns for path in sorted((root / folder).glob(pattern))]
        if not found:
            msg = (f"the course kit is incomplete: no {' or '.join(patterns)} in {root / folder}. "
                   "Hint: build from a full checkout, or from an sdist made by `python -m build`.")
            raise FileNotFoundError(msg)
        files.update({path.relative_to(root).as_posix(): path for path in found})
    return files


class BuildWithKit(build_py):
    """``build_py`` that also copies the kit into ``devvolume/kit/`` of the built package."""

    def run(self) -> None:
        """Build the package as usual, then copy the kit next to it."""
        super().run()
        # an editable install reads the checkout's own folders (devvolume._kit)
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "devvolume", "kit")
        shutil.rmtree(target, ignore_errors=True)  # nothing left over from an earlier build
        for name, source in kit_files().items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": BuildWithKit})
