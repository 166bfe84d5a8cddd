"""Work logs in: load the Excel and CSV files managers really have, check them, write a template.

Every problem names the file, the row as seen in Excel (the header is row 1), the column and
the fix, in Chinese and English. A user's file is never modified.
"""

from devvolume.inputs._template import write_template
from devvolume.inputs._worklog import (
    CSV_ENCODINGS,
    MAX_ROWS_IN_MESSAGE,
    WorklogCheck,
    WorklogError,
    check_worklog,
    read_worklog,
)

__all__ = [
    "CSV_ENCODINGS",
    "MAX_ROWS_IN_MESSAGE",
    "WorklogCheck",
    "WorklogError",
    "check_worklog",
    "read_worklog",
    "write_template",
]
