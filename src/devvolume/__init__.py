"""devvolume: measure and improve 客户开发量, the new customers a direct-sales team develops.

``import devvolume as dv``. The public surface, by concept:

- the core (:mod:`devvolume.core`): the work-log schema, :func:`reached_levels` (the one place
  that decides when a customer first reached a level, and who gets the credit) and every metric
  built on it: :func:`development_volume`, :func:`conversion_rate`, :func:`funnel`,
  :func:`win_rate`, :func:`sales_cycle`, retention, targets, significance and periods; deals
  (商机) beside customers: :func:`won_deals` (first and repeat deals), :func:`open_deals` and
  ``unit="deal"`` on the win rate, sales cycle and stalled list;
- work logs in (:mod:`devvolume.inputs`): :func:`read_worklog`, :func:`check_worklog`,
  :func:`write_template`, and :func:`import_crm` for CRM opportunity exports;
- the simulator and the case datasets (:mod:`devvolume.sim`): :func:`load_dataset`, …;
- for notebooks: ``dv.viz`` (charts, offline display and export), ``dv.teach`` (lesson views,
  controls, exercises, what-if) and ``dv.report`` (instructor reports). They pull in altair,
  vl-convert and ipywidgets, which take seconds to import, so they load on first use and
  ``devvolume validate`` and the metrics start fast.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from devvolume.core import (
    LEVELS,
    LOST,
    PERIODS,
    STAGE_LABELS,
    STAGES,
    Comparison,
    Forecast,
    PeriodComparison,
    SBGFit,
    Window,
    activity_counts,
    activity_efficiency,
    attainment,
    churn_rate,
    compare_periods,
    conversion_rate,
    development_volume,
    fit_sbg,
    forecast,
    funnel,
    growth,
    incentive_payout,
    last_complete,
    leaderboard,
    like_for_like,
    open_deals,
    p_text,
    period_window,
    reached_levels,
    retention_matrix,
    retention_rate,
    sales_cycle,
    stalled_customers,
    win_rate,
    won_deals,
)
from devvolume.inputs import (
    WorklogCheck,
    WorklogError,
    check_worklog,
    import_crm,
    read_worklog,
    write_template,
)
from devvolume.sim import (
    Dataset,
    Intervention,
    SalesModel,
    Simulation,
    list_datasets,
    load_dataset,
    project,
)

try:
    __version__ = version("devvolume")  # one place: pyproject.toml
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

#: Subpackages for notebooks, imported on first use.
_SUBPACKAGES = ("viz", "teach", "report")
#: Public names that load their module on first use: name -> (module, attribute).
_ON_FIRST_USE = {
    "build_reports": ("devvolume.report", "build_reports"),
    "export_html": ("devvolume.viz", "export_html"),
    "setup_notebook": ("devvolume.viz", "setup"),
    "worklog_picker": ("devvolume.teach", "worklog_picker"),
}

__all__ = [
    "LEVELS",
    "LOST",
    "PERIODS",
    "STAGES",
    "STAGE_LABELS",
    "Comparison",
    "Dataset",
    "Forecast",
    "Intervention",
    "PeriodComparison",
    "SBGFit",
    "SalesModel",
    "Simulation",
    "Window",
    "WorklogCheck",
    "WorklogError",
    "activity_counts",
    "activity_efficiency",
    "attainment",
    "build_reports",
    "check_worklog",
    "churn_rate",
    "compare_periods",
    "conversion_rate",
    "development_volume",
    "export_html",
    "fit_sbg",
    "forecast",
    "funnel",
    "growth",
    "import_crm",
    "incentive_payout",
    "last_complete",
    "leaderboard",
    "like_for_like",
    "list_datasets",
    "load_dataset",
    "open_deals",
    "p_text",
    "period_window",
    "project",
    "reached_levels",
    "read_worklog",
    "report",
    "retention_matrix",
    "retention_rate",
    "sales_cycle",
    "setup_notebook",
    "stalled_customers",
    "teach",
    "viz",
    "win_rate",
    "won_deals",
    "worklog_picker",
    "write_template",
]


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"devvolume.{name}")
    if name in _ON_FIRST_USE:
        module, attribute = _ON_FIRST_USE[name]
        return getattr(importlib.import_module(module), attribute)
    msg = f"module 'devvolume' has no attribute {name!r}"
    raise AttributeError(msg)
