"""Show altair charts offline, deterministically and with Chinese text.

Altair 6 emits Vega-Lite 6. JupyterLab 4.6's own renderer only knows Vega-Lite 3-5, the
``mimetype`` renderer's output fails nbformat validation, and the default ``html`` renderer loads
vega from a CDN, so offline it shows "Error loading script". :func:`setup` therefore turns every
chart into a static SVG with vl-convert, on the kernel side, and wraps it in an HTML ``<img>``
whose source is a ``data:`` URI. That one output

* renders in JupyterLab with no network, whether the notebook is trusted or not (a bare
  ``image/svg+xml`` output is refused in an untrusted notebook: "Cannot display an untrusted SVG");
* survives nbconvert's HTML export unchanged, and the exported file fetches nothing;
* is byte-for-byte the same on every run, so nbval compares it without a sanitize rule;
* keeps the text as SVG text, drawn by the viewer's own CJK font (Noto Sans CJK SC first in the
  font list, then the usual Windows and macOS faces).

Rendering that SVG takes 0.2-1.7 s, too slow for a control a learner moves. A control therefore
shows its charts in a :class:`ChartView`: the first one static as above, every one after a move
drawn live in the browser by JupyterLab's own Vega-Lite 5 renderer (:func:`live_bundle`).
"""

from __future__ import annotations

import base64
import functools
import html
import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets
import vl_convert as vlc

#: The face the charts are designed and measured with.
FONT = "Noto Sans CJK SC"

#: CSS font list used in every chart: Noto first, then faces a Windows, macOS or Linux viewer
#: has, so an SVG opened elsewhere still draws Chinese.
FONT_STACK = (
    f"{FONT}, Source Han Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif"
)

#: Name under which the renderer and the theme are registered with altair.
RENDERER = "devvolume"

#: Environment variable naming an extra font directory to register with vl-convert.
FONT_DIR_ENV = "DEVVOLUME_FONT_DIR"

#: Family names (any of them) that draw simplified Chinese acceptably.
_CJK_FAMILIES = tuple(name.strip() for name in FONT_STACK.split(",")[:-1])

#: File-name fragments of CJK fonts, for systems without fontconfig.
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "msyh", "pingfang", "wqy")

_FONT_SEARCH_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


@dataclass(frozen=True)
class DisplaySetup:
    """What :func:`setup` configured.

    Attributes
    ----------
    renderer : str
        The altair renderer now enabled.
    font : str or None
        The CJK family found on this machine, or ``None`` when none was found.
    font_dirs : tuple of str
        Extra font directories registered with vl-convert.
    """

    renderer: str
    font: str | None
    font_dirs: tuple[str, ...]


def vegalite_version() -> str:
    """Return the Vega-Lite version to ask vl-convert for, matching altair's schema.

    Returns
    -------
    str
        ``"major.minor"``, e.g. ``"6.4"``; the newest vl-convert knows with the same major
        version when the exact one is not bundled.

    Examples
    --------
    >>> vegalite_version().split(".")[0] == alt.SCHEMA_VERSION.lstrip("v").split(".")[0]
    True
    """
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    wanted = f"{major}.{minor}"
    known = vlc.get_vegalite_versions()
    if wanted in known:
        return wanted
    same_major = [v for v in known if v.split(".")[0] == major]
    if not same_major:
        msg = (
            f"vl-convert {version('vl-convert-python')} does not bundle Vega-Lite {major}.x "
            f"(it has {', '.join(known)}). Hint: pip install -U vl-convert-python"
        )
        raise RuntimeError(msg)
    return max(same_major, key=lambda v: tuple(int(p) for p in v.split(".")))


def _chart_title(spec: dict[str, Any]) -> str:
    """Return a one-line text for a spec's title (and description), for ``alt`` and text/plain.

    A combined chart without a title of its own is named by its parts' titles.
    """
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    parts = [str(title)] if title else []
    if spec.get("description"):
        parts.append(str(spec["description"]))
    if not parts:
        children = [c for key in ("vconcat", "hconcat", "concat") for c in spec.get(key, [])]
        named = [_chart_title(c) for c in children]
        parts = ["；".join(n for n in named if n != "图表")] if any(n != "图表" for n in named) else []
    return "：".join(parts) if parts else "图表"


def svg_html(svg: str, *, alt_text: str) -> str:
    """Wrap an SVG document in an ``<img>`` with a ``data:`` URI.

    Parameters
    ----------
    svg : str
        A complete SVG document.
    alt_text : str
        Text for the ``alt`` attribute (screen readers, and shown if the image fails).

    Returns
    -------
    str
        One ``<div>`` of HTML with no id, so the output is the same run to run.

    Examples
    --------
    >>> svg_html('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>', alt_text="a<b")
    ... # doctest: +ELLIPSIS
    '<div class="devvolume-chart"><img width="4" height="2" alt="a&lt;b" style="max-width:100%;...
    """
    width = re.search(r'<svg[^>]*?\swidth="([\d.]+)"', svg)
    height = re.search(r'<svg[^>]*?\sheight="([\d.]+)"', svg)
    size = ""
    if width and height:
        size = f'width="{width.group(1)}" height="{height.group(1)}" '
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<div class="devvolume-chart"><img {size}alt="{html.escape(alt_text)}" '
        f'style="max-width:100%;height:auto" src="data:image/svg+xml;base64,{data}"></div>'
    )


def render_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to SVG with no network access.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec, e.g. ``chart.to_dict()``.

    Returns
    -------
    str
        The SVG document. Text stays text, in the chart's configured font.
    """
    return vlc.vegalite_to_svg(spec, vl_version=vegalite_version(), allowed_base_urls=[])


def renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """Altair renderer: a static SVG chart as an HTML image, plus a text fallback.

    Parameters
    ----------
    spec : dict
        The Vega-Lite spec altair passes to a renderer.
    **_
        Renderer options altair may pass; ignored.

    Returns
    -------
    dict
        A valid nbformat mimebundle with ``text/html`` and ``text/plain``.
    """
    title = _chart_title(spec)
    return {"text/html": svg_html(render_svg(spec), alt_text=title), "text/plain": f"<图表：{title}>"}


def theme() -> alt.theme.ThemeConfig:
    """Return the devvolume altair theme: the CJK font list and a readable default size.

    Returns
    -------
    altair.theme.ThemeConfig
        Use through ``alt.theme.enable("devvolume")`` after :func:`setup`.
    """
    return alt.theme.ThemeConfig(
        config={
            "font": FONT_STACK,
            "view": {"continuousWidth": 480, "continuousHeight": 280},
        }
    )


def _fontconfig_families() -> set[str] | None:
    """Return the families fontconfig knows for Chinese, or None without fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def find_cjk_font(extra_dirs: tuple[str, ...] = ()) -> str | None:
    """Find a font on this machine that draws simplified Chinese.

    Parameters
    ----------
    extra_dirs : tuple of str
        Directories registered in addition to the system ones.

    Returns
    -------
    str or None
        The first family of :data:`FONT_STACK` that is installed, a generic description of a CJK
        font file found by name, or ``None``.
    """
    families = _fontconfig_families()
    if families:
        for family in _CJK_FAMILIES:
            if family in families:
                return family
    dirs = [*extra_dirs, *_FONT_SEARCH_DIRS]
    for directory in dirs:
        root = Path(directory).expanduser()
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            name = path.name.lower()
            if path.suffix.lower() in {".ttc", ".otf", ".ttf"} and any(
                hint in name for hint in _CJK_FILE_HINTS
            ):
                return path.stem
    return None


@functools.cache
def _register_font_dir(directory: str) -> None:
    vlc.register_font_directory(directory)


def setup(*, font_dir: str | os.PathLike[str] | None = None, warn: bool = True) -> DisplaySetup:
    """Configure altair so that charts render offline, deterministically, in Chinese.

    Call it once, first, in every lesson and report notebook. It is cheap to call again.

    Parameters
    ----------
    font_dir : path, optional
        A directory of extra fonts (e.g. a copy of Noto Sans CJK) for vl-convert to measure and
        draw text with. The environment variable ``DEVVOLUME_FONT_DIR`` works too.
    warn : bool, default True
        Warn (in Chinese, then English) when no CJK font is found. The charts still render, as the
        viewer's browser draws the SVG text with its own fonts, but label sizes may be off.

    Returns
    -------
    DisplaySetup
        The renderer enabled, the font found and the font directories registered.

    Examples
    --------
    >>> info = setup(warn=False)
    >>> info.renderer, alt.renderers.active, alt.theme.active
    ('devvolume', 'devvolume', 'devvolume')
    """
    dirs = [str(Path(d).expanduser().resolve()) for d in (font_dir, os.environ.get(FONT_DIR_ENV))
            if d]
    for directory in dirs:
        if not Path(directory).is_dir():
            msg = f"字体目录不存在 / font directory not found: {directory}"
            raise FileNotFoundError(msg)
        _register_font_dir(directory)
    alt.renderers.register(RENDERER, renderer)
    alt.renderers.enable(RENDERER)
    alt.theme.register(RENDERER, enable=True)(theme)
    font = find_cjk_font(tuple(dirs))
    if font is None and warn:
        msg = (
            "没有找到中文字体，图表中的中文可能显示为方框。"
            "Hint: apt-get install fonts-noto-cjk, or setup(font_dir=...) with Noto Sans CJK SC."
        )
        warnings.warn(msg, UserWarning, stacklevel=2)
    return DisplaySetup(renderer=RENDERER, font=font, font_dirs=tuple(dirs))


def export_html(notebook: Any, *, hide_code: bool = True, title: str | None = None) -> str:
    """Export an executed notebook to one offline HTML file; see :func:`devvolume.viz._export.export_html`.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    hide_code : bool, default True
        Leave out code inputs and prompts.
    title : str, optional
        The page's ``<title>``.

    Returns
    -------
    str
        A single-file HTML document that makes no network request.
    """
    from devvolume.viz._export import export_html as export  # nbconvert is slow to import

    return export(notebook, hide_code=hide_code, title=title)


# --- live redraws in JupyterLab ----------------------------------------------------------------
#
# Rendering SVG in the kernel costs 270-1700 ms per chart with Chinese text, far over the 100 ms a
# control may take to answer. So a control draws its *first* chart as the static SVG above (stored
# in the built notebook, exported, compared by nbval, shown untrusted) and, once the learner moves
# it, hands every later chart to the Vega-Lite 5 renderer JupyterLab 4.6 bundles (vega 5.33,
# ``safe`` renderer, no network): the kernel only sends the spec, the browser draws it in ~50 ms.
# A headless build never moves a control, so it never produces a live chart.

#: The mimetype of JupyterLab 4.6's built-in renderer (it knows Vega-Lite 3-5, not altair's 6).
LIVE_MIMETYPE = "application/vnd.vegalite.v5+json"

#: The Vega-Lite version JupyterLab 4.6.6 bundles; the renderer reads the version from ``$schema``.
LIVE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.6.1.json"

#: Output metadata for the renderer: no "..." actions menu (its export and "open in editor"
#: links go online), and SVG so the text is drawn by the browser's CJK font.
LIVE_METADATA: dict[str, Any] = {
    LIVE_MIMETYPE: {"embed_options": {"actions": False, "renderer": "svg"}}
}

#: A 1x1 transparent PNG. Without an ``image/png`` in the bundle, the renderer rasterises every
#: chart and writes the PNG (about 20 KB) back into the output, which the widget then sends to
#: the kernel on each redraw; the richer Vega-Lite entry is still the one shown.
_STUB_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)


def live_bundle(chart: Any) -> dict[str, Any]:
    """Return a chart as a mimebundle for JupyterLab's own Vega-Lite 5 renderer.

    Parameters
    ----------
    chart : altair chart
        Any chart of :mod:`devvolume.viz._charts` (altair 6 specs are valid Vega-Lite 5.6 for the
        features those use).

    Returns
    -------
    dict
        ``application/vnd.vegalite.v5+json`` (the spec, ``$schema`` pointing at Vega-Lite
        5.6.1), ``text/plain`` and a stub ``image/png``.

    Examples
    --------
    >>> chart = alt.Chart(alt.Data(values=[{"x": 1}]), title="示例").mark_point().encode(x="x:Q")
    >>> bundle = live_bundle(chart)
    >>> bundle[LIVE_MIMETYPE]["$schema"], bundle["text/plain"]
    ('https://vega.github.io/schema/vega-lite/v5.6.1.json', '<图表：示例>')
    """
    # The charts are built and tested already; altair's schema validation adds ~8 ms per chart.
    spec = chart.to_dict(validate=False)
    spec["$schema"] = LIVE_SCHEMA
    return {LIVE_MIMETYPE: spec, "text/plain": f"<图表：{_chart_title(spec)}>",
            "image/png": _STUB_PNG}  # fmt: skip


def show_live(output: widgets.Output, chart: Any) -> None:
    """Replace what an ``Output`` widget shows with a chart drawn by JupyterLab (see above).

    The output is set as the widget's state rather than captured with ``with output:``, so it
    is one atomic replacement (no flash of an empty area) and works outside a kernel too.
    """
    output.outputs = ({"output_type": "display_data", "data": live_bundle(chart),
                       "metadata": LIVE_METADATA},)  # fmt: skip


class ChartView(widgets.VBox):
    """Where a control shows its chart: static SVG at first, live after the learner moves it.

    :attr:`static` (an ``HTML`` widget) holds the chart drawn when the control is built: it is
    what a built notebook stores and an exported page shows. :attr:`live` (an ``Output``, empty
    until then) takes every chart drawn after :meth:`show` is called with ``live=True``; from
    then on the static chart is hidden and the view stays live.
    """

    def __init__(self) -> None:
        self.static = widgets.HTML()
        self.live = widgets.Output()
        self.is_live = False
        super().__init__([self.static, self.live])

    def show(self, chart: Any, *, live: bool = False) -> None:
        """Show ``chart``: as static SVG until the first live redraw, live after it."""
        if live and not self.is_live:
            self.is_live = True
            self.static.layout.display = "none"
        if self.is_live:
            show_live(self.live, chart)
        else:
            self.static.value = renderer(chart.to_dict())["text/html"]

    def clear(self) -> None:
        """Show nothing (e.g. while the control shows an error instead)."""
        self.static.value = ""
        self.live.outputs = ()

    @property
    def static_html(self) -> str:
        """The static chart's HTML (empty once cleared)."""
        return str(self.static.value)


def heading(text: str, level: int = 2) -> None:
    """Show an escaped heading in a report (a name may contain ``<script>``)."""
    from IPython.display import HTML, display

    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def paragraph(text: str) -> None:
    """Show an escaped paragraph in a report."""
    from IPython.display import HTML, display

    display(HTML(f"<p>{html.escape(text)}</p>"))

