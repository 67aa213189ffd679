"""Book-local Sphinx extension: what the reader's screen needs beyond the theme.

- The CJK web font beside the pages, so Chinese text renders offline (a machine without CJK
  fonts, such as a headless Chromium printing the PDF, would show boxes). It comes from the
  wheel matplotlib uses, so pages and figures match.
- The book's style sheet and script (book/_static/zjbook/): tables that read on a phone, a
  hint under a table that scrolls sideways, sorting and paging where a chapter asks for them.
- A Chinese interface: the theme and Sphinx write some words of their interface in English
  whatever the language; they are put in Chinese in every page written (INTERFACE). Each
  image gets its caption as its alt text instead of its file name.
- A figure without data: a chart that has nothing to draw shows a one-line note in place of
  its image (zjinnov.present.style.no_data); its figure box and caption are dropped, and a
  reference to it in the text reads as "not drawn".
- English pages: a page whose front matter says `lang: en` (the English summary) is marked
  English, so browsers and the printed PDF choose Latin glyphs (a Chinese font sets an English
  apostrophe full-width) and screen readers read it as English; in the single-page HTML that
  the PDF is printed from, its section carries the mark.
- Downloads: the header's menu offers the data, the workbook, the PDF (when `make pdf` has
  made one) and the web address of the book, never the notebooks; the downloads page says
  where the PDF is. Every table the chapters published goes into one workbook.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

PDF_NAME = "book.pdf"  # under downloads/ in the HTML book, as `make pdf` writes it

# English interface text the theme (sphinx-book-theme 1.3, pydata-sphinx-theme 0.17),
# sphinx-togglebutton and Sphinx 7.4 write whatever the language, and the Chinese for it.
INTERFACE = {
    'title="Toggle primary sidebar"': 'title="显示或隐藏目录"',
    'title="Toggle secondary sidebar"': 'title="显示或隐藏本页目录"',
    'aria-label="Color mode"': 'aria-label="配色"',
    'data-bs-title="Color mode"': 'data-bs-title="配色"',
    'title="System Settings"': 'title="跟随系统"',
    'title="Link to this heading"': 'title="本节链接"',
    'title="Link to this image"': 'title="本图链接"',
    'title="Link to this table"': 'title="本表链接"',
    'title="Link to this term"': 'title="本词条链接"',
    'title="Link to this equation"': 'title="本公式链接"',
    'title="Link to this code"': 'title="本代码链接"',
    'aria-label="Toggle hidden content"': 'aria-label="显示或隐藏"',
    'aria-label="Main"': 'aria-label="主导航"',
    'aria-label="Page"': 'aria-label="本页"',
    'aria-label="Section Navigation"': 'aria-label="章节导航"',
    'aria-label="Site navigation"': 'aria-label="全书导航"',
    ">Skip to main content<": ">跳到正文<",
    ">Back to top<": ">回到顶部<",
    'title="列印成 PDF"': 'title="打印"',
}


# ------------------------------------------------------------------------------ figures
def _is_note_figure(figure: nodes.figure) -> bool:
    """A figure whose cell showed a note (style.no_data) and no image."""
    mimes = [c.get("mime_type", "") for c in figure.findall(nodes.container)]
    if any(m.startswith("image/") for m in mimes) or list(figure.findall(nodes.image)):
        return False
    return any("zj-figure-note" in raw.astext() for raw in figure.findall(nodes.raw))


def _drop_empty_figures(app, doctree) -> None:
    """A figure without data keeps its note and loses its box and caption; a numbered
    reference to it reads as 'not drawn' (it has no number)."""
    dropped: set[str] = set()
    for figure in list(doctree.findall(nodes.figure)):
        if not _is_note_figure(figure):
            continue
        dropped.update(figure["names"])
        for name in figure["names"]:
            doctree.nameids.pop(name, None)
            doctree.nametypes.pop(name, None)
        kept = [c for c in figure.children if not isinstance(c, (nodes.caption, nodes.legend))]
        figure.replace_self(nodes.container("", *kept, classes=["zj-no-figure"]))
    if not dropped:
        return
    from zjinnov.present import labels

    words = labels.label("figure_not_drawn", "term")
    for ref in list(doctree.findall(addnodes.pending_xref)):
        if ref.get("reftype") == "numref" and ref.get("reftarget", "").lower() in dropped:
            ref.replace_self(nodes.inline("", words, classes=["zj-not-drawn"]))


def _alt_text(app, doctree) -> None:
    """Images say what they show (their figure's caption), not their file name."""
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        captions = list(figure.findall(nodes.caption)) if figure is not None else []
        image["alt"] = captions[0].astext().strip() if captions else "图"


# ------------------------------------------------------------------------------ pages
def _font_path() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")


BASEURL_ENV = "BOOK_BASEURL"  # the published book's address, when the build knows it (CI)


def _on_config_inited(app, config) -> None:
    # The Pages workflow knows where the book is published; a local build reads _config.yml.
    given = os.environ.get(BASEURL_ENV, "").strip()
    if given:
        config.html_baseurl = given if given.endswith("/") else given + "/"


def _on_builder_inited(app) -> None:
    if app.builder.format == "html":
        app.add_css_file("zjbook/zjbook.css")
        app.add_js_file("zjbook/zjbook.js", loading_method="defer")


def _pdf_source(app) -> Path:
    """Where `make pdf` leaves the printed book, beside this build's html folder."""
    return Path(app.outdir).parent / "pdf" / PDF_NAME


def _downloads_menu(app, pagename, templatename, context, doctree) -> None:
    """The header's download menu: the book's own downloads, not its source files."""
    buttons = context.get("header_buttons")
    if buttons is None:
        return
    pathto = context["pathto"]
    items = [
        {
            "type": "link",
            "url": pathto("book/downloads"),
            "text": "数据与下载",
            "icon": "fas fa-table",
            "label": "zj-downloads-page",
        },
        {
            "type": "link",
            "url": pathto("downloads/study_tables.xlsx", 1),
            "text": "全部表格（Excel）",
            "icon": "fas fa-file-excel",
            "label": "zj-workbook",
        },
    ]
    if _pdf_source(app).exists():
        items.append(
            {
                "type": "link",
                "url": pathto(f"downloads/{PDF_NAME}", 1),
                "text": "全书 PDF",
                "icon": "fas fa-file-pdf",
                "label": "zj-pdf",
            }
        )
    if app.config.html_baseurl:
        items.append(
            {
                "type": "link",
                "url": app.config.html_baseurl,
                "text": "网页版",
                "icon": "fas fa-globe",
                "label": "zj-web",
            }
        )
    buttons.append(
        {
            "type": "group",
            "tooltip": "下载",
            "icon": "fas fa-download",
            "buttons": items,
            "label": "zj-download-buttons",
        }
    )


def pdf_paragraph(app, pagename: str) -> str:
    """The downloads page's line about the PDF: a link when `make pdf` has made one."""
    if _pdf_source(app).exists():
        href = "../downloads/" + PDF_NAME if "/" in pagename else "downloads/" + PDF_NAME
        return f'<a href="{href}" download>下载全书 PDF（A4，{html.escape(PDF_NAME)}）</a>'
    return (
        "本版尚未生成 PDF：在仓库根目录执行 <code>make pdf</code> 后重新构建本书，这里即给出链接。"
    )


def _pdf_placeholder(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'class="zj-pdf-link"' in body:
        context["body"] = body.replace(
            '<span class="zj-pdf-link"></span>', pdf_paragraph(app, pagename)
        )


def _always_reread(app, env, added, changed, removed) -> list[str]:
    """The downloads page depends on whether a PDF exists, which Sphinx cannot see."""
    return [d for d in ("book/downloads",) if d in env.found_docs and d not in removed]


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


def chinese_interface(text: str) -> str:
    for english, chinese in INTERFACE.items():
        text = text.replace(english, chinese)
    return text


def _translate_pages(outdir: Path) -> None:
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        done = english_sections(chinese_interface(text))
        if done != text:
            page.write_text(done, encoding="utf-8")


# ------------------------------------------------------------------------------ English pages
ENGLISH_CLASS = "lang-en"
_ENGLISH_SECTION = re.compile(r'(<section[^>]*class="[^"]*\b' + ENGLISH_CLASS + r'\b[^"]*")')


def _is_english(env, docname: str) -> bool:
    return str(env.metadata.get(docname, {}).get("lang", "")).strip() == "en"


def _mark_english_section(app, doctree) -> None:
    """The top section of an English page carries a class the written HTML turns into lang."""
    if not _is_english(app.env, app.env.docname):
        return
    for section in doctree.findall(nodes.section):
        section["classes"].append(ENGLISH_CLASS)
        break


def _english_page(app, pagename, templatename, context, doctree) -> None:
    # The theme writes <html lang="{{ language }}">: an English page says so.
    if _is_english(app.env, pagename):
        context["language"] = "en"


def english_sections(text: str) -> str:
    """Every section marked English (its class) also gets lang="en"."""
    return _ENGLISH_SECTION.sub(r'\1 lang="en"', text)


# ------------------------------------------------------------------------------ after the build
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
    if _pdf_source(app).exists():
        shutil.copy2(_pdf_source(app), target / PDF_NAME)


def _on_build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _write_workbook(app)
    _translate_pages(Path(app.outdir))
    target = Path(app.outdir) / "_static" / "zjbook"
    target.mkdir(parents=True, exist_ok=True)
    font = _font_path()
    if not (target / font.name).exists():
        shutil.copy2(font, target / font.name)


def setup(app):
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-read", _drop_empty_figures)
    app.connect("doctree-read", _alt_text)
    app.connect("doctree-read", _mark_english_section)
    app.connect("html-page-context", _english_page)
    app.connect("env-get-outdated", _always_reread)
    app.connect("html-page-context", _drop_thebe)
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", _downloads_menu, priority=600)
    app.connect("html-page-context", _pdf_placeholder)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
