"""Work logs in: load the Excel, CSV and Parquet files managers really have, check them, write a template.

Every problem names the file, the sheet, the row as seen in Excel (the header is row 1), the
column and the fix, in Chinese and English. A damaged, encrypted or odd file gives a
:class:`WorklogError`, never another exception. A user's file is never modified.
"""

from devvolume.inputs._cells import FIRST_PLAUSIBLE_DATE
from devvolume.inputs._csv import CSV_ENCODINGS
from devvolume.inputs._errors import WorklogError
from devvolume.inputs._headers import HEADER_SEARCH_ROWS
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
    "FIRST_PLAUSIBLE_DATE",
    "HEADER_SEARCH_ROWS",
    "MAX_ROWS_IN_MESSAGE",
    "WorklogCheck",
    "WorklogError",
    "check_targets",
    "check_worklog",
    "plausible_dates",
    "read_targets",
    "read_worklog",
    "write_targets_template",
    "write_template",
]
