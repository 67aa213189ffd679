"""Book-local Sphinx extension: a book built on extra data says so on every page.

`make book DATA_EXTRA=<folder>` lays an analyst's folder over data/ (`zjinnov.data.overlay`)
and points the build at it (env ZJINNOV_DATA). Then every page opens with a notice that extra
tables were laid over the public data, listing the sources they cite by title and publisher
(never the folder's path, which may be private). When any of those sources is simulated (the
rehearsal's workbook), a banner on every page says that the data are simulated and may not be
cited. A build on the public data alone carries neither.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

BANNER = "本书数据为模拟数据，仅用于演练，不得引用"
BANNER_EN = "The data in this book are simulated, for rehearsal only: do not cite."
BANNER_STYLE = (
    "background:#b03a2e;color:#fff;font-weight:bold;font-size:1.15em;text-align:center;"
    "padding:0.6rem 1rem;margin:0 0 1rem;border-radius:4px"
)
NOTICE_STYLE = (
    "border:1px solid #d68910;background:#fdf2e9;padding:0.5rem 0.9rem;margin:0 0 1rem;"
    "font-size:0.85em;border-radius:4px"
)


def read_overlay():
    """The overlay the build reads (None on the public data)."""
    folder = os.environ.get("ZJINNOV_DATA", "").strip()
    if not folder:
        return None
    from zjinnov.data import overlay

    return overlay.read(Path(folder))


def notice_html(laid) -> str:
    """The banner (simulated data) and the notice: which extra tables, citing which sources."""
    if laid is None:
        return ""
    items = "".join(
        f"<li>{html.escape(str(r.title))}（{html.escape(str(r.publisher))}）</li>"
        for r in laid.sources.itertuples(index=False)
    )
    replaced = "、".join(html.escape(f) for f in laid.framework)
    registry = f"登记表文件 {replaced} 也由另行提供的版本代替。" if replaced else ""
    notice = (
        f'<div class="zj-overlay-notice" style="{NOTICE_STYLE}">'
        f"本书在公开数据之上叠加了分析人员另行提供的数据表（{len(laid.tables)} 张，"
        f"{laid.rows:,} 行），这些数据不在项目仓库中。{registry}它们引用以下来源：<ul>{items}</ul></div>"
    )
    if not laid.simulated:
        return notice
    banner = (
        f'<div class="zj-simulated-banner" role="alert" style="{BANNER_STYLE}">'
        f"{BANNER}<br><span style='font-size:0.75em;font-weight:normal'>{BANNER_EN}</span></div>"
    )
    return banner + notice


def _on_builder_inited(app) -> None:
    app.zj_overlay_html = notice_html(read_overlay())


def _on_page(app, pagename, templatename, context, doctree) -> None:
    text = getattr(app, "zj_overlay_html", "")
    if not text:
        return
    if "body" in context:
        context["body"] = text + context["body"]
    else:  # search and index pages have no body: the theme's announcement bar carries it
        context["theme_announcement"] = text


def setup(app):
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
