"""The pure core: the work-log schema, periods, reached levels and every metric built on them.

Nothing here imports a notebook library (an import-linter contract in ``pyproject.toml`` keeps it
so). Every metric accepts a work log or its :func:`reached_levels` table, as pandas, polars or
DuckDB, and returns the same kind. Customers (accounts) are the unit of 客户开发量; where a log
has a 商机 (deal) column, the deal measures count deals beside them, and say so in their columns.
"""

from devvolume.core._conversion import conversion_rate, funnel
from devvolume.core._deals import SUGGEST_CLOSE_CYCLES, UNITS, open_deals, won_deals
from devvolume.core._frames import By
from devvolume.core._levels import reached_levels
from devvolume.core._outcomes import (
    STALLED_AFTER_DAYS,
    STALLED_FROM_LEVEL,
    sales_cycle,
    stalled_customers,
    win_rate,
)
from devvolume.core._periods import (
    PERIODS,
    Comparison,
    Window,
    first_day,
    last_complete,
    like_for_like,
    period_starts,
    period_window,
)
from devvolume.core._retention import (
    DISCOUNT_RATE,
    INACTIVE_AFTER,
    SBGFit,
    churn_rate,
    fit_sbg,
    retention_matrix,
    retention_rate,
)
from devvolume.core._schema import (
    ACTIVITIES,
    CANONICAL,
    CHANNELS,
    COLUMN_LABELS,
    COLUMNS,
    DEAL,
    LEVELS,
    LOST,
    REQUIRED,
    STAGE_CODES,
    STAGE_LABELS,
    STAGE_RANK,
    STAGES,
    Column,
    WorklogSchema,
)
from devvolume.core._significance import (
    CONFIDENCE,
    SIGNIFICANCE,
    Forecast,
    PeriodComparison,
    compare_periods,
    forecast,
    p_text,
)
from devvolume.core._targets import (
    ACCELERATOR_TIERS,
    PAY_PER_NEW_CUSTOMER,
    attainment,
    growth,
    incentive_payout,
    leaderboard,
)
from devvolume.core._volume import (
    VISIT_ACTIVITY,
    activity_counts,
    activity_efficiency,
    development_volume,
)

__all__ = [
    "ACCELERATOR_TIERS",
    "ACTIVITIES",
    "CANONICAL",
    "CHANNELS",
    "COLUMNS",
    "COLUMN_LABELS",
    "CONFIDENCE",
    "DEAL",
    "DISCOUNT_RATE",
    "INACTIVE_AFTER",
    "LEVELS",
    "LOST",
    "PAY_PER_NEW_CUSTOMER",
    "PERIODS",
    "REQUIRED",
    "SIGNIFICANCE",
    "STAGES",
    "STAGE_CODES",
    "STAGE_LABELS",
    "STAGE_RANK",
    "STALLED_AFTER_DAYS",
    "STALLED_FROM_LEVEL",
    "SUGGEST_CLOSE_CYCLES",
    "UNITS",
    "VISIT_ACTIVITY",
    "By",
    "Column",
    "Comparison",
    "Forecast",
    "PeriodComparison",
    "SBGFit",
    "Window",
    "WorklogSchema",
    "activity_counts",
    "activity_efficiency",
    "attainment",
    "churn_rate",
    "compare_periods",
    "conversion_rate",
    "development_volume",
    "first_day",
    "fit_sbg",
    "forecast",
    "funnel",
    "growth",
    "incentive_payout",
    "last_complete",
    "leaderboard",
    "like_for_like",
    "open_deals",
    "p_text",
    "period_starts",
    "period_window",
    "reached_levels",
    "retention_matrix",
    "retention_rate",
    "sales_cycle",
    "stalled_customers",
    "win_rate",
    "won_deals",
]
