"""Make a warm kernel look like a fresh one between two reports.

The report engine (:mod:`devvolume.report._engine`) keeps one IPython kernel per worker and
runs report after report in it, so that Python, pandas, altair and the metric engine are
imported once. Before each report it calls :func:`restore`, which puts back everything a
notebook can change and a fresh kernel would not have: the user namespace and the execution
counter (IPython's own ``%reset``), the working directory, ``os.environ``, ``sys.path``, warning
filters (and with them every module's "already shown" registry, so a warning shown in one
report is shown again in the next), pandas options, altair's renderer, theme and data
transformer, IPython's display formatters and event callbacks. :func:`snapshot` records them
once, after the warm imports and before any report runs.

What it keeps on purpose: devvolume's caches of the company and of its company-wide results
(:func:`devvolume.report.load_company`, :mod:`devvolume.report._shared`). They are keyed by
everything they depend on (source file, size, modification time, options, report day, the
metric and its options), and every report gets its own copy of each frame, so a report can
neither see nor change what the one before it did; they are what lets the next report only
slice.

It also holds two start-up helpers that the worker and its kernel share:
:func:`defer_rfc3987_syntax` and :func:`warm_charts`. This module runs inside the kernel, so it
imports nothing heavy.
"""

from __future__ import annotations

import copy
import gc
import importlib
import importlib.util
import os
import sys
import types
import warnings
from pathlib import Path
from typing import Any

_STATE: dict[str, Any] = {}
_RFC3987 = "rfc3987_syntax"


def defer_rfc3987_syntax() -> None:
    """Load ``rfc3987_syntax`` on its first use instead of when ``jsonschema`` is imported.

    ``jsonschema`` (imported by nbformat and altair) imports ``rfc3987_syntax`` for its
    ``iri`` format checks, and that module builds a grammar at import: about 2 s of every start.
    Neither the notebook schema nor the Vega-Lite schema uses an ``iri`` format. A stand-in
    module whose ``is_valid_syntax`` imports the real one on its first call keeps every check
    exactly as it was and the import free. Nothing happens if it is already imported.
    """
    if _RFC3987 in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(_RFC3987)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return
    real: list[Any] = []

    def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
        if not real:
            del sys.modules[_RFC3987]
            real.append(importlib.import_module(_RFC3987))
        return real[0].is_valid_syntax(*args, **kwargs)

    stand_in = types.ModuleType(_RFC3987, "Stand-in that imports rfc3987_syntax on first use.")
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[_RFC3987] = stand_in


def warm_charts() -> None:
    """Convert one tiny chart, so that vl-convert's engine is running before the first report."""
    try:
        import vl_convert
    except ImportError:
        return
    spec = {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}
    vl_convert.vegalite_to_svg(spec)


def _shell() -> Any:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        msg = "devvolume.report._kernel_state must run inside an IPython kernel."
        raise RuntimeError(msg)
    return shell


def _pandas_options() -> dict[str, Any]:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return {}
    registered = pandas._config.config._registered_options
    deprecated = pandas._config.config._deprecated_options
    options = {}
    for key in registered:
        if key in deprecated:
            continue
        try:
            options[key] = pandas.get_option(key)
        except Exception:  # an option that cannot be read cannot be changed by a notebook either
            continue
    return options


def _altair_state() -> dict[str, Any]:
    altair = sys.modules.get("altair")
    if altair is None:
        return {}
    return {
        "renderer": (altair.renderers.active, dict(altair.renderers.options)),
        "transformer": (altair.data_transformers.active, dict(altair.data_transformers.options)),
        "theme": altair.theme.active,
    }


def _formatters(shell: Any) -> dict[str, Any]:
    display = shell.display_formatter
    formatters = {**display.formatters, "_ipython_display": display.ipython_display_formatter,
                  "_mimebundle": display.mimebundle_formatter}  # fmt: skip
    return {
        name: (formatter, dict(formatter.type_printers), dict(formatter.deferred_printers),
               formatter.enabled)
        for name, formatter in formatters.items()
    }  # fmt: skip


def snapshot() -> None:
    """Record the kernel's state after the warm imports; :func:`restore` returns to it."""
    shell = _shell()
    _STATE.update(
        cwd=str(Path.cwd()),
        environ=dict(os.environ),
        path=list(sys.path),
        warnings=list(warnings.filters),
        pandas=_pandas_options(),
        altair=_altair_state(),
        formatters=_formatters(shell),
        events={name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
    )
    # The warm imports stay for the kernel's life: keep them out of every later collection
    # (IPython's reset collects garbage, and would otherwise walk all of pandas and altair).
    gc.collect()
    gc.freeze()


def restore() -> None:
    """Return to the snapshot: a clean namespace and the state of a freshly started kernel."""
    if not _STATE:
        msg = "devvolume.report._kernel_state.restore() called before snapshot()."
        raise RuntimeError(msg)
    shell = _shell()
    # IPython's %reset -f, plus a new history session: the execution counter starts at 1 again.
    shell.reset(new_session=True)
    os.chdir(_STATE["cwd"])
    if dict(os.environ) != _STATE["environ"]:
        os.environ.clear()
        os.environ.update(_STATE["environ"])
    sys.path[:] = _STATE["path"]
    warnings.filters[:] = _STATE["warnings"]  # type: ignore[index]
    # Invalidates every module's __warningregistry__, so "default"/"once" warnings show again.
    warnings._filters_mutated()  # type: ignore[attr-defined]
    _restore_pandas(_STATE["pandas"])
    _restore_altair(_STATE["altair"])
    for formatter, printers, deferred, enabled in _STATE["formatters"].values():
        formatter.type_printers.clear()
        formatter.type_printers.update(printers)
        formatter.deferred_printers.clear()
        formatter.deferred_printers.update(deferred)
        formatter.enabled = enabled
    for name, callbacks in _STATE["events"].items():
        shell.events.callbacks[name][:] = callbacks


def _restore_pandas(options: dict[str, Any]) -> None:
    if not options:
        return
    pandas = sys.modules["pandas"]
    for key, value in options.items():
        try:
            if pandas.get_option(key) != value:
                pandas.set_option(key, copy.copy(value))
        except Exception:  # see _pandas_options
            continue


def _restore_altair(state: dict[str, Any]) -> None:
    if not state:
        return
    altair = sys.modules["altair"]
    renderer, renderer_options = state["renderer"]
    if (altair.renderers.active, dict(altair.renderers.options)) != (renderer, renderer_options):
        altair.renderers.enable(renderer, **renderer_options)
    transformer, transformer_options = state["transformer"]
    if (altair.data_transformers.active, dict(altair.data_transformers.options)) != (
        transformer, transformer_options,
    ):
        altair.data_transformers.enable(transformer, **transformer_options)
    if altair.theme.active != state["theme"]:
        altair.theme.enable(state["theme"])
