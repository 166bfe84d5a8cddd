"""The offline renderer and the offline HTML export."""

from __future__ import annotations

import base64
import re

import altair as alt
import nbformat
import pandas as pd
import pytest

from devvolume.viz import _display as display
from devvolume.viz._export import export_html, external_references

CHART_CODE = """\
import pandas as pd
from devvolume.viz import _charts as charts
from devvolume.viz import _display as display
display.setup()
frame = pd.DataFrame({"period": pd.to_datetime(["2026-03-01", "2026-04-01"]), "volume": [1, 2]})
charts.volume_trend(frame, level="won")
"""


@pytest.fixture
def restore_altair():
    """Put altair's renderer and theme back after a test enables ours."""
    renderer, theme = alt.renderers.active, alt.theme.active
    yield
    alt.renderers.enable(renderer)
    alt.theme.enable(theme)


def small_chart() -> alt.Chart:
    frame = pd.DataFrame({"x": ["甲", "乙"], "y": [1, 2]})
    return alt.Chart(frame, title="测试图表").mark_bar().encode(x="x:N", y="y:Q")


@pytest.mark.usefixtures("restore_altair")
def test_setup_enables_renderer_and_theme() -> None:
    info = display.setup()
    assert alt.renderers.active == display.RENDERER
    assert alt.theme.active == display.RENDERER
    assert info.font == display.FONT  # fonts-noto-cjk is a test requirement
    assert small_chart().to_dict()["config"]["font"] == display.FONT_STACK


@pytest.mark.usefixtures("restore_altair")
def test_rendering_is_deterministic_and_offline() -> None:
    display.setup()
    first = small_chart()._repr_mimebundle_()
    second = small_chart()._repr_mimebundle_()
    assert first == second
    assert set(first) == {"text/html", "text/plain"}
    assert first["text/plain"] == "<图表：测试图表>"
    page = first["text/html"]
    assert 'alt="测试图表"' in page
    assert " id=" not in page
    assert external_references(page) == []
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", page).group(1)).decode()
    assert "测试图表" in svg
    assert f'font-family="{display.FONT_STACK}"' in svg
    assert len(page) < 40_000  # a static chart is small; an inline vega bundle is ~900 KB


def test_renderer_output_is_valid_nbformat() -> None:
    bundle = display.renderer(small_chart().to_dict())
    output = nbformat.v4.new_output("display_data", data=bundle)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[output])])
    nbformat.validate(nb)


def test_render_refuses_network_data() -> None:
    spec = alt.Chart("https://example.com/data.csv").mark_point().encode(x="a:Q").to_dict()
    with pytest.raises(Exception, match="not allowed"):
        display.render_svg(spec)


def test_missing_font_warns_and_still_renders(monkeypatch, restore_altair) -> None:
    monkeypatch.setattr(display, "find_cjk_font", lambda extra_dirs=(): None)
    with pytest.warns(UserWarning, match="没有找到中文字体"):
        info = display.setup()
    assert info.font is None
    assert "<svg" in display.render_svg(small_chart().to_dict())


def test_font_dir_must_exist(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="font directory not found"):
        display.setup(font_dir=tmp_path / "nope")


def test_find_cjk_font_without_fontconfig(monkeypatch) -> None:
    monkeypatch.setattr(display, "_fontconfig_families", lambda: None)
    assert display.find_cjk_font() is not None


def test_vegalite_version_is_bundled() -> None:
    import vl_convert

    assert display.vegalite_version() in vl_convert.get_vegalite_versions()


def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill would leave it: markdown, a chart output, a hidden cell."""
    chart = display.renderer(small_chart().to_dict())
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 团队报告\n\n这是**说明**文字，公式 $x^2$。"),
        nbformat.v4.new_code_cell(CHART_CODE, execution_count=1, outputs=[
            nbformat.v4.new_output("display_data", data=chart)]),
        nbformat.v4.new_code_cell("secret = 42", execution_count=2,
                                  metadata={"tags": ["remove_cell"]}),
        nbformat.v4.new_code_cell("print('可见的输出')", execution_count=3, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="可见的输出\n")]),
    ])
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"  # nbformat draws random ids; a stored notebook has fixed ones
    return nb


def test_export_has_no_code_and_no_external_requests() -> None:
    page = export_html(executed_notebook(), title="报告")
    assert external_references(page) == []
    for marker in ("require.js", "mathjax", "MathJax", "mermaid", "cdn.", "unpkg", "jsdelivr"):
        assert marker not in page, marker
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "import pandas" not in page
    assert "secret" not in page
    assert 'class="jp-CodeMirrorEditor' not in page
    assert 'class="highlight' not in page
    assert "In&nbsp;[" not in page
    assert "可见的输出" in page
    assert "团队报告" in page
    assert 'class="devvolume-chart"' in page
    assert "<title>报告</title>" in page


def test_export_is_deterministic() -> None:
    assert export_html(executed_notebook()) == export_html(executed_notebook())


def test_export_can_show_code() -> None:
    page = export_html(executed_notebook(), hide_code=False)
    assert "import" in page
    assert "secret" not in page  # a remove_cell tag always hides


def test_export_refuses_remote_images() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('<img src="https://example.com/logo.png">')])
    with pytest.raises(ValueError, match="still loads from the network"):
        export_html(nb)


def test_display_reexports_export_html() -> None:
    assert display.export_html(executed_notebook()) == export_html(executed_notebook())


@pytest.mark.parametrize(("page", "count"), [
    ('<script src="https://a/x.js"></script>', 1),
    ("<link rel=stylesheet href=//cdn/x.css>", 1),
    ("<style>@import url('https://fonts/x.css');</style>", 2),
    ('<a href="https://example.com">link</a>', 0),
    ('<img src="data:image/svg+xml;base64,AAAA">', 0),
])
def test_external_references(page: str, count: int) -> None:
    assert len(external_references(page)) == count


def test_export_drops_widget_views() -> None:
    view = {"model_id": "abc123", "version_major": 2, "version_minor": 0}
    nb = executed_notebook()
    nb.cells[3].outputs.append(nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": view, "text/plain": "IntSlider(value=3)"}))
    page = export_html(nb)
    assert "abc123" not in page
    assert "widget-view" not in page
    assert page == export_html(nb)  # no random div ids


def test_combined_chart_is_named_by_its_parts() -> None:
    from devvolume.viz import _charts as charts

    frame = pd.DataFrame({"period": pd.to_datetime(["2026-03-01"]), "volume": [1]})
    combined = charts.combine(charts.volume_trend(frame), charts.volume_trend(frame, title="柱"))
    assert display.renderer(combined.to_dict())["text/plain"] == "<图表：每月客户开发量；柱>"


# --- live redraws -------------------------------------------------------------------------------

def test_live_bundle_is_for_jupyterlabs_own_vegalite_5_renderer() -> None:
    bundle = display.live_bundle(small_chart())
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain", "image/png"}
    spec = bundle[display.LIVE_MIMETYPE]
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.6.1.json"
    assert spec["title"] == "测试图表"
    assert bundle["text/plain"] == "<图表：测试图表>"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")  # stub, no rasterising
    assert display.LIVE_METADATA == {
        "application/vnd.vegalite.v5+json": {"embed_options": {"actions": False,
                                                               "renderer": "svg"}}}
    assert "http" not in str({k: v for k, v in spec.items() if k != "$schema"})  # data inline


def test_chart_view_is_static_until_it_goes_live() -> None:
    view = display.ChartView()
    view.show(small_chart())
    assert 'class="devvolume-chart"' in view.static.value
    assert view.live.outputs == ()
    assert not view.is_live
    view.show(small_chart(), live=True)
    assert view.static.layout.display == "none"
    assert view.is_live
    view.show(small_chart())                       # once live, always live
    (output,) = view.live.outputs
    assert output == {"output_type": "display_data", "data": display.live_bundle(small_chart()),
                      "metadata": display.LIVE_METADATA}
    view.clear()
    assert view.live.outputs == ()
    assert view.static_html == ""
