"""Book-local Sphinx extension: ship the CJK web font so Chinese text renders offline.

The HTML otherwise depends on the reader's system fonts; a machine without CJK fonts (a
headless Chromium printing the PDF, say) would show boxes. The font comes from the same
wheel that matplotlib uses, so pages and figures match.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CSS = """\
@font-face {
  font-family: "Book Noto Sans SC";
  src: url("NotoSansSC-Regular.otf") format("opentype");
  font-display: swap;
}
:root {
  --pst-font-family-base: -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
    "Noto Sans CJK SC", "Book Noto Sans SC", sans-serif;
  --pst-font-family-heading: var(--pst-font-family-base);
  --pst-font-family-monospace: SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono",
    "Noto Sans Mono CJK SC", "Book Noto Sans SC", monospace;
}
body { font-family: var(--pst-font-family-base); }
/* Chapters are wide tables and figures: give the article the room the right sidebar leaves. */
.bd-main .bd-content .bd-article-container { max-width: 70rem; }
.cell_output table { font-size: 0.85em; }
.cell_output table td, .cell_output table th { padding: 0.2rem 0.45rem; }
p.table-download { font-size: 0.8em; margin: 0.2rem 0 1rem; }
/* The PDF is for reading: no code toggles, no download links. */
@media print {
  details.hide, details.above-input, .cell_input, p.table-download { display: none !important; }
}
"""


def _font_path() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")


def _on_builder_inited(app) -> None:
    if app.builder.format == "html":
        app.add_css_file("zjbook/zjbook.css")


def _write_workbook(app) -> None:
    """Every table the chapters published, one sheet per chapter, next to the pages.

    Done here, after every notebook has run (or come from the cache), so the workbook never
    misses a chapter whatever order the pages were read in.
    """
    from zjinnov.present import downloads

    source = downloads.downloads_dir()
    target = Path(app.outdir) / "downloads"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    tables = downloads.published_tables(source)
    if tables:
        downloads.write_workbook(target / downloads.WORKBOOK_NAME, tables)


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _write_workbook(app)
    target = Path(app.outdir) / "_static" / "zjbook"
    target.mkdir(parents=True, exist_ok=True)
    (target / "zjbook.css").write_text(CSS, encoding="utf-8")
    font = _font_path()
    if not (target / font.name).exists():
        shutil.copy2(font, target / font.name)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Live code (thebe) is off in this book, yet sphinx-thebe still writes its CDN URL into
    every page; drop those scripts so nothing on a page points off the machine."""
    kept = []
    for script in context.get("script_files", []):
        filename = getattr(script, "filename", script) or ""
        body = getattr(script, "attributes", {}).get("body", "")
        if "thebe" in str(filename) or "THEBE_JS_URL" in body:
            continue
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _drop_thebe)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
