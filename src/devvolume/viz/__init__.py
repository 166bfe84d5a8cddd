"""Charts and pages: chart builders, labels, offline display and single-file HTML export.

The altair chart builders take the core's result frames and label them in Chinese or English.
Charts render offline as static SVG in JupyterLab and in exported HTML (:func:`setup`), and
redraw live inside the lesson controls (:class:`ChartView`).
"""

from devvolume.viz._charts import (
    HEIGHT,
    MAIN_COLOR,
    MUTED_COLOR,
    TARGET_COLOR,
    WIDTH,
    attainment,
    combine,
    conversion_by_cohort,
    funnel,
    funnel_plot_chart,
    leaderboard,
    retention_heatmap,
    volume_trend,
    whatif_comparison,
)
from devvolume.viz._display import (
    FONT,
    FONT_STACK,
    ChartView,
    DisplaySetup,
    export_html,
    find_cjk_font,
    heading,
    live_bundle,
    paragraph,
    render_svg,
    setup,
    show_live,
    svg_html,
)
from devvolume.viz._labels import LABELS, TIME_FORMATS, Lang, label

__all__ = [
    "FONT",
    "FONT_STACK",
    "HEIGHT",
    "LABELS",
    "MAIN_COLOR",
    "MUTED_COLOR",
    "TARGET_COLOR",
    "TIME_FORMATS",
    "WIDTH",
    "ChartView",
    "DisplaySetup",
    "Lang",
    "attainment",
    "combine",
    "conversion_by_cohort",
    "export_html",
    "find_cjk_font",
    "funnel",
    "funnel_plot_chart",
    "heading",
    "label",
    "leaderboard",
    "live_bundle",
    "paragraph",
    "render_svg",
    "retention_heatmap",
    "setup",
    "show_live",
    "svg_html",
    "volume_trend",
    "whatif_comparison",
]
