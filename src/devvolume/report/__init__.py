"""Instructor reports, and the helpers the report notebooks use.

:func:`build_reports` writes one personalised, offline HTML report per team or rep, an index page
and a ``summary.csv``, with a warm-kernel papermill engine. The notebooks read the company up to
the report day (:func:`load_company`), slice it, and add coaching advice and the weekly meeting
review.

Every figure in a report is a slice of a company-wide core result, computed once on the whole
company's log up to the report day (:func:`load_company`, :func:`devvolume.reached_levels`),
never a recount on a team's own rows.
"""

from devvolume.report._build import (
    KINDS,
    LANGS,
    ReportBatch,
    ReportResult,
    build_reports,
    publish_summary,
    safe_file_names,
)
from devvolume.report._coaching import (
    LOW_CONTACTS_SHARE,
    Bottleneck,
    anonymise,
    find_bottleneck,
    period_target,
    recommendations,
    step_table,
    volume_table,
)
from devvolume.report._data import Company, ReportData, load_company, load_source, report_day
from devvolume.report._figures import (
    SUMMARY_FIELDS,
    PeriodFigures,
    best_channel,
    change_text,
    describe_comparison,
    home_team,
    outlook_text,
    period_figures,
    pick,
    roster,
    window_labels,
)
from devvolume.report._index import SUMMARY_COLUMNS, SUMMARY_FILE
from devvolume.report._meeting import TOTAL, review_chart, weekly_review

__all__ = [
    "KINDS",
    "LANGS",
    "LOW_CONTACTS_SHARE",
    "SUMMARY_COLUMNS",
    "SUMMARY_FIELDS",
    "SUMMARY_FILE",
    "TOTAL",
    "Bottleneck",
    "Company",
    "PeriodFigures",
    "ReportBatch",
    "ReportData",
    "ReportResult",
    "anonymise",
    "best_channel",
    "build_reports",
    "change_text",
    "describe_comparison",
    "find_bottleneck",
    "home_team",
    "load_company",
    "load_source",
    "outlook_text",
    "period_figures",
    "period_target",
    "pick",
    "publish_summary",
    "recommendations",
    "report_day",
    "review_chart",
    "roster",
    "safe_file_names",
    "step_table",
    "volume_table",
    "weekly_review",
    "window_labels",
]
