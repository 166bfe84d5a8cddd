"""devvolume: measure and improve 客户开发量, the new customers a direct-sales team develops.

The public surface: loaders for the 工作日志表 (work log), metric functions, case datasets,
charts and exercise checkers. Everything is importable as ``import devvolume as dv``.
"""

from devvolume.io import WorklogCheck, WorklogError, check_worklog, read_worklog
from devvolume.schema import LEVELS, STAGE_LABELS, STAGES

__all__ = [
    "LEVELS",
    "STAGES",
    "STAGE_LABELS",
    "WorklogCheck",
    "WorklogError",
    "check_worklog",
    "read_worklog",
]

__version__ = "0.1.0"
