"""Instructor reports: one personalised, offline HTML report per team or rep, an index page and
a ``summary.csv``, built by a warm-kernel papermill engine; and the helpers the report notebooks
use (coaching advice, the weekly meeting review).

Every figure in a report is a slice of the company-wide core result
(:func:`devvolume.reached_levels`), never a recount on a team's own rows.
"""

from devvolume.report._build import (
    KINDS,
    LANGS,
    ReportBatch,
    ReportData,
    ReportResult,
    build_reports,
    load_source,
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
    volume_table,
)
from devvolume.report._meeting import TOTAL, review_chart, weekly_review

__all__ = [
    "KINDS",
    "LANGS",
    "LOW_CONTACTS_SHARE",
    "TOTAL",
    "Bottleneck",
    "ReportBatch",
    "ReportData",
    "ReportResult",
    "anonymise",
    "build_reports",
    "find_bottleneck",
    "load_source",
    "period_target",
    "publish_summary",
    "recommendations",
    "review_chart",
    "safe_file_names",
    "volume_table",
    "weekly_review",
]
