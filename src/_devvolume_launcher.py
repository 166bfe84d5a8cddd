"""The ``devvolume`` console command's entry point: Ctrl-C is handled from its first line.

This module sits outside the ``devvolume`` package on purpose. Importing anything from the
package first runs ``devvolume/__init__.py``, which imports pandas, the core and the loaders (a
second or more; far more on a busy machine), and the command line then imports the reports and
altair. Python's own Ctrl-C handling during those imports prints a ``KeyboardInterrupt``
traceback. Here the handler is in place before the first import: Ctrl-C while the package loads
prints one line and exits with 130, like Ctrl-C at any later moment (:mod:`devvolume._interrupt`,
which :func:`devvolume.cli.main` uses for the command itself).

``python -m devvolume`` imports the package before any of its code can run, so it has the
handler from :func:`devvolume.cli.main` on.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

#: As devvolume._interrupt.INTERRUPTED_STATUS and INTERRUPTED (not imported: importing them is
#: what this module guards).
_STATUS = 130
_LINE = "已中断 / interrupted (Ctrl-C)"


def _first(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # one stop; a second Ctrl-C changes nothing
    raise KeyboardInterrupt


def main() -> int:
    """Run ``devvolume``: load the package with Ctrl-C handled, then the command line."""
    signal.signal(signal.SIGINT, _first)
    try:
        from devvolume._interrupt import checkpoint

        checkpoint("import")  # the package is half loaded: the command line, reports, altair to come
        from devvolume.cli import main as run
    except KeyboardInterrupt:
        print(_LINE, file=sys.stderr)
        return _STATUS
    try:
        return run()
    except KeyboardInterrupt:  # between the command's own handling and the exit
        print(_LINE, file=sys.stderr)
        return _STATUS


if __name__ == "__main__":
    sys.exit(main())
