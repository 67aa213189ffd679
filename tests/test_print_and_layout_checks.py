"""The rules of the paper and browser checks (tools/check_pdf.py, tools/check_layout.py,
tools/print_pdf.py), on made-up measurements: each rule fails what it should and passes the
rest. The checks themselves run on built books (`make pdf`, `make check-layout`)."""

from __future__ import annotations

import sys

from bs4 import BeautifulSoup

from zjinnov.data.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import check_layout  # noqa: E402
import check_pdf  # noqa: E402
import print_pdf  # noqa: E402


def _rows(pages: list[tuple[int, int]], low_start: bool = False) -> list[list]:
    """Row marks: (page, rows on it) -> [[page, y, row], ...]."""
    out, r = [], 0
    for k, (page, n) in enumerate(pages):
        for i in range(n):
            r += 1
            y = (0.7 if low_start and k == 0 else 0.1) + 0.02 * i
            out.append([page, y, r])
    return out


def test_rows_a_page():
    fine = {"rows": {"1": _rows([(3, 30), (4, 25), (5, 4)])}}  # the last page holds the rest
    assert check_pdf.table_rows(fine) == []
    squeezed = {"rows": {"2": _rows([(7, 6), (8, 6), (9, 6)])}}
    assert [p.split(" on ")[1] for p in check_pdf.table_rows(squeezed)] == ["page 7", "page 8"]
    low = {"rows": {"3": _rows([(3, 3), (4, 30), (5, 2)], low_start=True)}}
    assert check_pdf.table_rows(low) == []  # began near the foot of a page
    short = {"rows": {"4": _rows([(3, 4), (4, 4)])}}
    assert check_pdf.table_rows(short) == []  # fewer rows than the rule asks for


def test_figures_stand_with_their_captions():
    layout = {"figures": {"1": 5, "2": 7}, "captions": {"1": 5, "2": 8}}
    assert check_pdf.figures_with_captions(layout) == [
        "figures: figure 2 on page 7, its caption on page 8"
    ]


def test_contents_read_numbers_and_pages():
    contents = ["3 县域创新指数：公开记录 ........ 21\n附录：数据下载 ..... 90\n"]
    titles = {"a": "县域创新指数：公开记录", "b": "附录：数据下载"}
    assert check_pdf.contents_numbers(contents, titles) == {"a": ("3", 21), "b": ("", 90)}


def test_paper_links_point_at_the_web_or_are_text():
    page = (
        '<article class="bd-article"><a href="../downloads/study_tables.xlsx">工作簿</a>'
        '<a href="#sec">本节</a><a href="https://doi.org/x">文献</a></article>'
    )
    soup = BeautifulSoup(page, "html.parser")
    print_pdf.paper_links(soup, "https://example.org/book/")
    hrefs = [a["href"] for a in soup.find_all("a")]
    want = "https://example.org/book/downloads/study_tables.xlsx"  # beside book/ and notebooks/
    assert hrefs == [want, "#sec", "https://doi.org/x"]
    soup = BeautifulSoup(page, "html.parser")
    print_pdf.paper_links(soup, "")
    assert [a["href"] for a in soup.find_all("a")] == ["#sec", "https://doi.org/x"]
    assert soup.find("span").get_text() == "工作簿"


def test_front_matter_moves_before_the_chapters():
    page = (
        '<section id="root"><h1>书名</h1><section id="toc"><h2>本书结构</h2>'
        '<div class="toctree-wrapper"><span id="document-notebooks/01_data"></span><section>'
        '<h1><span class="section-number">1. </span>数据</h1></section></div></section>'
        '<section id="how"><h2>如何重算</h2></section></section>'
    )
    soup = BeautifulSoup(page, "html.parser")
    assert print_pdf.chapter_numbers(soup) == {"notebooks/01_data": "1"}
    print_pdf.front_matter_first(soup)
    ids = [s["id"] for s in soup.select("#root > section")]
    assert ids == ["how", "toc"]


def test_marks_name_rows_figures_and_captions():
    page = (
        '<article class="bd-article"><table><tbody><tr><td>甲</td><td>1</td></tr>'
        "<tr><td>乙</td><td>2</td></tr></tbody></table>"
        '<figure><img src="a.png"/><figcaption>图 1</figcaption></figure></article>'
    )
    soup = BeautifulSoup(page, "html.parser")
    print_pdf.mark(soup)
    marks = [m.get_text() for m in soup.select(".zj-mark")]
    assert marks == ["ZJT1R1Z", "ZJT1R2Z", "ZJF1Z", "ZJC1Z"]
    assert all(print_pdf.MARK.fullmatch(m) for m in marks)


def test_english_interface_words_are_found_and_allowed_words_pass():
    found = check_layout._english(
        ["显示代码", "Show code cell source", "下载 PDF", "Ctrl + K", "2026", "数据（CSV）"]
    )
    assert found == ["Show code cell source"]


def test_a_figure_is_measured_from_its_own_sizes(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from zjinnov.present import style

    style.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4))  # the old width, with 8 pt ticks
    ax.tick_params(labelsize=8)
    ax.plot([1, 2])
    data = style.png(fig)[0]
    plt.close(fig)
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "f.png").write_bytes(data)
    (tmp_path / "notebooks").mkdir()
    image = {"src": "../_images/f.png", "width": 342.0}
    px, text = check_layout.figure_text_px(tmp_path, "notebooks/x.html", image)
    assert 5 < px < 7  # 8 pt in a figure of about 6.3 in (tight) drawn 342 px wide
