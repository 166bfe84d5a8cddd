"""Export an executed notebook to one self-contained HTML file that fetches nothing.

nbconvert's ``lab`` template loads require.js, MathJax and mermaid from CDNs, which company
intranets block and which leak that a report was opened. The ``offline`` template shipped in
``devvolume/viz/templates/offline`` extends ``lab`` and empties those blocks (and the widget
manager), and the charts are inline SVG images (see :mod:`devvolume.viz._display`), so the exported
page works with the network cut off.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

#: Directory holding the nbconvert templates shipped with devvolume.
TEMPLATES = Path(__file__).parent / "templates"

#: Name of the offline template (a directory under :data:`TEMPLATES`).
TEMPLATE = "offline"

#: Tag that hides one cell (input and outputs) from the exported page.
HIDE_TAG = "remove_cell"

_EXTERNAL_REF = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed)\b[^>]*?\s(?:src|href)\s*=\s*["']?"""
    r"""\s*(?:https?:)?//""",
    re.IGNORECASE,
)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@functools.cache
def exporter(*, hide_code: bool = True) -> HTMLExporter:
    """Return an nbconvert HTML exporter configured for offline, code-free pages.

    One exporter is kept per setting: building one costs about 0.2 s (the template loads),
    which matters when a batch exports dozens of reports.

    Parameters
    ----------
    hide_code : bool, default True
        Drop every code input and every prompt (``In [1]:``); outputs stay.

    Returns
    -------
    nbconvert.HTMLExporter
        Uses the ``offline`` template; cells tagged ``remove_cell`` are left out.
    """
    html_exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name=TEMPLATE,
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        embed_images=True,
    )
    html_exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}, enabled=True), enabled=True
    )
    return html_exporter


def export_html(
    notebook: nbformat.NotebookNode, *, hide_code: bool = True, title: str | None = None
) -> str:
    """Export an executed notebook to a single-file HTML page with no external requests.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook, outputs included (run it first, e.g. with papermill or nbclient).
    hide_code : bool, default True
        Leave out code inputs and prompts, as a report for a manager should.
    title : str, optional
        The page's ``<title>``; defaults to the notebook's ``metadata.title`` or "报告".

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ValueError
        If the page would still reference a script, style, font or image on the network
        (e.g. a markdown cell with an ``<img src="https://…">``).
    """
    resources = {"metadata": {"name": title or notebook.metadata.get("title") or "报告"}}
    body, _ = exporter(hide_code=hide_code).from_notebook_node(notebook, resources=resources)
    refs = external_references(body)
    if refs:
        msg = (
            f"导出的页面仍会从网络加载 {len(refs)} 个资源 / the page still loads from the network: "
            f"{refs[:5]}. Hint: embed images with attachments or data: URIs, "
            "and show charts through devvolume.viz._display.setup()."
        )
        raise ValueError(msg)
    return body


def external_references(page: str) -> list[str]:
    """List the places where an HTML page would load something from the network.

    Plain links the reader may click (``<a href="https://…">``) are not loads and are not listed.

    Parameters
    ----------
    page : str
        An HTML document.

    Returns
    -------
    list of str
        Short excerpts around each ``src``/``href`` of a script, stylesheet, image or frame,
        each CSS ``@import`` and each CSS ``url(...)`` that points at ``http(s)://`` or ``//``.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example/x.js"></script><a href="https://a.b">')
    ['<script src="https://cdn.example/x.js"']
    >>> external_references("<style>p{background:url(data:image/png;base64,AA)}</style>")
    []
    """
    found = []
    for pattern in (_EXTERNAL_REF, _CSS_IMPORT, _CSS_URL):
        for match in pattern.finditer(page):
            rest = re.match(r"""[^"'\s>)]*["']?""", page[match.end() :])
            found.append(page[match.start() : match.end() + (rest.end() if rest else 0)])
    return found
