"""Work logs in: load the Excel, CSV and Parquet files managers really have, check them, write a template.

Every problem names the file, the sheet, the row as seen in Excel (the header is row 1), the
column and the fix, in Chinese and English. A damaged, encrypted or odd file gives a
:class:`WorklogError`, never another exception. A user's file is never modified.

CRM opportunity exports come in through :func:`import_crm` (vendor presets, mapping files, a
roster for the teams): one work-log row per dated stage event of each deal, every deal written
or left out with its reason (:class:`ImportSummary`, saved beside the work log it writes).
"""

from devvolume.inputs._cells import FIRST_PLAUSIBLE_DATE
from devvolume.inputs._crm import import_crm
from devvolume.inputs._crm_summary import REASONS, CrmImport, ImportSummary, StageRow
from devvolume.inputs._crm_write import (
    EXCEL_MAX_ROWS,
    import_into,
    read_import_summary,
    summary_path,
    write_import,
)
from devvolume.inputs._csv import CSV_ENCODINGS
from devvolume.inputs._errors import WorklogError
from devvolume.inputs._headers import HEADER_SEARCH_ROWS
from devvolume.inputs._mapping import CrmMapping, read_mapping
from devvolume.inputs._presets import PRESETS, SOURCES, detect
from devvolume.inputs._roster import read_roster
from devvolume.inputs._suggest import suggest_mapping
from devvolume.inputs._targets import check_targets, read_targets, write_targets_template
from devvolume.inputs._template import write_template
from devvolume.inputs._worklog import (
    MAX_ROWS_IN_MESSAGE,
    WorklogCheck,
    check_worklog,
    plausible_dates,
    read_worklog,
)

__all__ = [
    "CSV_ENCODINGS",
    "EXCEL_MAX_ROWS",
    "FIRST_PLAUSIBLE_DATE",
    "HEADER_SEARCH_ROWS",
    "MAX_ROWS_IN_MESSAGE",
    "PRESETS",
    "REASONS",
    "SOURCES",
    "CrmImport",
    "CrmMapping",
    "ImportSummary",
    "StageRow",
    "WorklogCheck",
    "WorklogError",
    "check_targets",
    "check_worklog",
    "detect",
    "import_crm",
    "import_into",
    "plausible_dates",
    "read_import_summary",
    "read_mapping",
    "read_roster",
    "read_targets",
    "read_worklog",
    "suggest_mapping",
    "summary_path",
    "write_import",
    "write_targets_template",
    "write_template",
]
