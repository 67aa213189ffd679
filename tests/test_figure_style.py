"""The figure writer and its sizes (zjinnov.present.style): what each PNG tells the layout
check, the phone's limit on type, the note shown in place of a figure without data."""

from __future__ import annotations

import struct

import matplotlib

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import pytest
from matplotlib import pyplot as plt

from zjinnov.present import style


@pytest.fixture(scope="module", autouse=True)
def book_style():
    style.setup()


def test_a_png_carries_its_smallest_text_and_resolution():
    fig, ax = plt.subplots(figsize=style.size(3))
    ax.plot([1, 2, 3])
    ax.set_title("标题")
    ax.annotate("小字", (1, 2), fontsize=7)
    data, points, text = style.png(fig)
    plt.close(fig)
    facts = style.png_facts(data)
    assert (points, text) == (7.0, "小字")
    assert facts[style.FACT_MIN_FONT] == "7" and facts[style.FACT_MIN_TEXT] == "小字"
    assert facts[style.FACT_DPI] == str(style.PNG_DPI) and facts[style.FACT_HAS_DATA] == "yes"
    (width,) = struct.unpack(">I", data[16:20])
    assert int(facts["width_px"]) == width
    # the facts are chunks of a valid PNG: Pillow reads the image and its text
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(data))
    image.load()
    assert image.size[0] == width and image.text[style.FACT_MIN_TEXT] == "小字"


def test_the_book_style_keeps_every_text_readable_on_a_phone():
    # The one rule: points ≥ 11 px × 72 × inches ÷ 342 px. The style's sizes meet it at the
    # book's width, with room for a figure a little wider than planned (tight bounding box).
    assert style.min_font(style.WIDTH) <= style.SMALL <= style.FONT
    assert style.min_font(style.WIDTH + 0.15) <= style.SMALL
    assert style.min_font(7.5) > 17  # the old 7.5 in width would need 17 pt type
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    ax.legend(["图例"])
    _, points, _ = style.png(fig)
    plt.close(fig)
    assert points >= style.SMALL


def test_a_figure_without_data_is_a_note():
    fig = style.no_data("没有数据可画")
    assert isinstance(fig, style.NoteFigure) and fig.note == "没有数据可画"
    assert style.note_html(fig.note) == '<p class="zj-figure-note">没有数据可画</p>'
    facts = style.png_facts(style.png(fig)[0])
    assert facts[style.FACT_HAS_DATA] == "no"  # drawn anyway, the layout check would fail it
    plt.close(fig)


@pytest.mark.parametrize(
    "text,width,lines",
    [
        ("R&D经费支出占GDP比重", 10, ["R&D经费支出占GDP比", "重"]),
        (
            "高新技术产业增加值占规上工业增加值比重",
            10,
            ["高新技术产业增加值占", "规上工业增加值比重"],
        ),
        ("短", 10, ["短"]),
        ("甲乙丙丁戊，己", 5, ["甲乙丙丁戊，", "己"]),  # a comma never starts a line
        ("甲乙丙丁（戊己）", 5, ["甲乙丙丁", "（戊己）"]),  # a bracket goes with what it opens
    ],
)
def test_labels_wrap_between_characters_not_inside_latin_words(text, width, lines):
    assert style.wrap(text, width).split("\n") == lines
