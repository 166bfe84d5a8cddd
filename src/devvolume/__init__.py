"""devvolume: measure and improve 客户开发量, the new customers a direct-sales team develops.

The public surface: loaders for the 工作日志表 (work log), metric functions, the direct-sales
simulator and case datasets, and the notebook helpers. ``import devvolume as dv``.

The notebook helpers (charts, widgets, reports) pull in altair, vl-convert and ipywidgets, which
take seconds to import; they load on first use so that ``devvolume validate`` and the metric
functions start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from devvolume.datasets import Dataset, list_datasets, load_dataset
from devvolume.io import WorklogCheck, WorklogError, check_worklog, read_worklog
from devvolume.metrics import (
    activity_efficiency,
    conversion_rate,
    development_volume,
    funnel,
    sales_cycle,
    win_rate,
)
from devvolume.retention import SBGFit, churn_rate, fit_sbg, retention_matrix, retention_rate
from devvolume.schema import LEVELS, STAGE_LABELS, STAGES
from devvolume.simulate import Intervention, SalesModel, Simulation, project
from devvolume.stats import Forecast, PeriodComparison, compare_periods, forecast
from devvolume.targets import attainment, growth, incentive_payout, leaderboard
from devvolume.template import write_template

#: Public names that load their module on first use: name -> (module, attribute).
_ON_FIRST_USE = {
    "build_reports": ("devvolume.reports", "build_reports"),
    "export_html": ("devvolume.html", "export_html"),
    "setup_notebook": ("devvolume.display", "setup"),
    "worklog_picker": ("devvolume.widgets", "worklog_picker"),
}

__all__ = [
    "LEVELS",
    "STAGES",
    "STAGE_LABELS",
    "Dataset",
    "Forecast",
    "Intervention",
    "PeriodComparison",
    "SBGFit",
    "SalesModel",
    "Simulation",
    "WorklogCheck",
    "WorklogError",
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
    "incentive_payout",
    "leaderboard",
    "list_datasets",
    "load_dataset",
    "project",
    "read_worklog",
    "retention_matrix",
    "retention_rate",
    "sales_cycle",
    "setup_notebook",
    "win_rate",
    "worklog_picker",
    "write_template",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        module, attribute = _ON_FIRST_USE[name]
        return getattr(importlib.import_module(module), attribute)
    msg = f"module 'devvolume' has no attribute {name!r}"
    raise AttributeError(msg)
