"""Where the course kit's files are: case datasets, notebooks, and example CRM exports.

An installed wheel carries them as package data in ``devvolume/kit/`` (copied there when the
wheel is built); a source checkout (an editable install) uses the repository's own folders.
``$DEVVOLUME_DATASETS`` overrides where the case datasets are read from.

This module imports nothing of the package, so every layer may use it.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: The kit's folders, as named in the repository and inside the wheel.
FOLDERS = ("datasets", "notebooks", "exercises", "examples")
#: Environment variable naming a folder of case datasets to use instead of the shipped ones.
DATASETS_ENV = "DEVVOLUME_DATASETS"


def _installed() -> Path:
    return Path(str(resources.files("devvolume") / "kit"))


def _checkout() -> Path:
    return Path(__file__).resolve().parents[2]


def kit_root() -> Path:
    """Return the folder holding ``datasets/``, ``notebooks/`` and ``exercises/``.

    Inside the package when it was installed from a wheel, else the source checkout's root.
    """
    installed = _installed()
    if (installed / "notebooks").is_dir():
        return installed
    return _checkout()


def kit_path(folder: str, *parts: str) -> Path:
    """Return a path inside one of the kit's folders, e.g. ``kit_path("notebooks", "reports")``.

    ``datasets`` honours ``$DEVVOLUME_DATASETS``.

    Examples
    --------
    >>> kit_path("notebooks").name
    'notebooks'
    """
    if folder not in FOLDERS:
        msg = f"unknown kit folder {folder!r}; one of {', '.join(FOLDERS)}"
        raise ValueError(msg)
    if folder == "datasets" and os.environ.get(DATASETS_ENV):
        return Path(os.environ[DATASETS_ENV]).joinpath(*parts)
    return kit_root().joinpath(folder, *parts)
