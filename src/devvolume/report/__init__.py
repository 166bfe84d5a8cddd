"""Instructor reports, and the helpers the report notebooks use.

:func:`build_reports` writes one personalised, offline HTML report per team or rep (and, with
``pdf=True``, an A4 PDF beside it), an index page listing every report in the folder and a
``summary.csv``, with a warm-kernel papermill engine. The notebooks read the company up to the
report day (:func:`load_company`), slice it, coach from tested evidence (:func:`gather`,
:func:`coach`, both at once: :func:`advise`) and add the weekly meeting review. Where the log
has deals (商机, as a CRM export's does), :func:`deal_figures` gives the deal figures beside the
customer ones, each with its unit.

Every figure in a report is a slice of a company-wide core result, computed once on the whole
company's log up to the report day (:func:`load_company`, :func:`devvolume.reached_levels`),
never a recount on a team's own rows.

:func:`build_course` runs the course's lessons for every team of a work log with the same
engine: a folder of executed lessons and offline pages per team, and an index.
"""

from devvolume.report._build import KINDS, LANGS, ReportBatch, ReportResult, build_reports
from devvolume.report._charts import (
    STAGE_COLORS,
    funnel_title,
    leaderboard_chart,
    span_text,
    trend_chart,
)
from devvolume.report._coaching import Coaching, advise, coach, evidence_table, funnel_plot_data
from devvolume.report._commitments import (
    COMMITMENTS_SUFFIX,
    Commitments,
    meeting_commitments,
    ticked,
)
from devvolume.report._course import CourseBatch, LessonResult, build_course
from devvolume.report._data import (
    Company,
    ReportData,
    Skipped,
    load_company,
    load_source,
    report_day,
)
from devvolume.report._deals import (
    MOSTLY_REPEAT,
    DealFigures,
    DealMix,
    deal_figures,
    deal_table,
    import_text,
    stalled_deal_rows,
)
from devvolume.report._engine import Interrupted
from devvolume.report._evidence import EVIDENCE_DAYS, Evidence, evidence_rows, gather
from devvolume.report._figures import (
    DEAL_FIELDS,
    SUMMARY_FIELDS,
    PeriodFigures,
    change_text,
    coverage_note,
    coverage_start,
    describe_comparison,
    home_team,
    outlook_text,
    period_figures,
    pick,
    roster,
    window_labels,
)
from devvolume.report._folder import FolderBusyError
from devvolume.report._index import SUMMARY_COLUMNS, SUMMARY_FILE, publish_figures, publish_summary
from devvolume.report._meeting import (
    AGENDA,
    NOISE_WARNING,
    TOTAL,
    MeetingWeeks,
    agenda_table,
    meeting_weeks,
    rep_changes,
    rep_points,
    review_chart,
    week_summary,
    weekly_review,
)
from devvolume.report._money import Money, money_figures
from devvolume.report._names import safe_file_names
from devvolume.report._pace import MonthPace, month_pace
from devvolume.report._pipeline import CLOSE_AS_LOST_DAYS, CallList, call_list, pipeline
from devvolume.report._tables import (
    anonymise,
    caption,
    notice,
    period_target,
    recorded_levels,
    step_table,
    unrecorded_note,
    volume_table,
)

__all__ = [
    "AGENDA",
    "CLOSE_AS_LOST_DAYS",
    "COMMITMENTS_SUFFIX",
    "DEAL_FIELDS",
    "EVIDENCE_DAYS",
    "KINDS",
    "LANGS",
    "MOSTLY_REPEAT",
    "NOISE_WARNING",
    "STAGE_COLORS",
    "SUMMARY_COLUMNS",
    "SUMMARY_FIELDS",
    "SUMMARY_FILE",
    "TOTAL",
    "CallList",
    "Coaching",
    "Commitments",
    "Company",
    "CourseBatch",
    "DealFigures",
    "DealMix",
    "Evidence",
    "FolderBusyError",
    "Interrupted",
    "LessonResult",
    "MeetingWeeks",
    "Money",
    "MonthPace",
    "PeriodFigures",
    "ReportBatch",
    "ReportData",
    "ReportResult",
    "Skipped",
    "advise",
    "agenda_table",
    "anonymise",
    "build_course",
    "build_reports",
    "call_list",
    "caption",
    "change_text",
    "coach",
    "coverage_note",
    "coverage_start",
    "deal_figures",
    "deal_table",
    "describe_comparison",
    "evidence_rows",
    "evidence_table",
    "funnel_plot_data",
    "funnel_title",
    "gather",
    "home_team",
    "import_text",
    "leaderboard_chart",
    "load_company",
    "load_source",
    "meeting_commitments",
    "meeting_weeks",
    "money_figures",
    "month_pace",
    "notice",
    "outlook_text",
    "period_figures",
    "period_target",
    "pick",
    "pipeline",
    "publish_figures",
    "publish_summary",
    "recorded_levels",
    "rep_changes",
    "rep_points",
    "report_day",
    "review_chart",
    "roster",
    "safe_file_names",
    "span_text",
    "stalled_deal_rows",
    "step_table",
    "ticked",
    "trend_chart",
    "unrecorded_note",
    "volume_table",
    "week_summary",
    "weekly_review",
    "window_labels",
]
