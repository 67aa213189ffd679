// Measures a loaded book page as the reader sees it; evaluated by tools/check_layout.py.
// Returns plain numbers and strings; the limits are applied in Python.
(() => {
  const article = document.querySelector(".bd-article") || document.body;
  const visible = (el) => {
    if (!el || !el.getClientRects().length) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none";
  };
  const NUMBER = /^[-−+]?[\d,]+(\.\d+)?\s*%?$/;
  const text = (el) => (el.innerText || el.textContent || "").trim();

  // One line or several: the distinct tops of the boxes of a cell's words.
  const lines = (el) => {
    const tops = new Set();
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  };

  const tables = [...article.querySelectorAll("table")].filter(visible).map((table, i) => {
    const rows = [...table.querySelectorAll("tbody tr")];
    const head = [...table.querySelectorAll("thead tr")];
    let narrowest = null;
    const broken = [];
    for (const cell of table.querySelectorAll("th, td")) {
      if (cell.colSpan > 1 || !visible(cell)) continue;
      const width = cell.getBoundingClientRect().width;
      const size = parseFloat(getComputedStyle(cell).fontSize);
      const t = text(cell);
      if (!narrowest || width < narrowest.px) narrowest = { px: width, font: size, text: t.slice(0, 30) };
      if (NUMBER.test(t) && lines(cell) > 1) broken.push(t);
    }
    // The box that scrolls the table sideways, if any, and whether it has to.
    let box = table.parentElement;
    while (box && box !== article && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    const scroller = box && box !== article ? box : null;
    const wrap = table.closest(".zj-table");
    const next = scroller ? scroller.nextElementSibling : null;
    const hint = (wrap && wrap.querySelector(".zj-scroll-hint")) ||
      (next && next.classList.contains("zj-scroll-hint") ? next : null);
    const container = scroller || table.parentElement;
    const overflows = table.getBoundingClientRect().width > container.clientWidth + 1;
    const caption = table.querySelector("caption");
    const download = wrap ? wrap.querySelector("p.table-download a") : null;
    return {
      index: i + 1,
      title: caption ? text(caption).slice(0, 40) : text(head.at(-1) || table).slice(0, 40),
      columns: Math.max(0, ...[...table.rows].map((r) => r.cells.length)),
      rows: rows.length,
      body_cells: [...table.querySelectorAll("tbody td")].filter((td) => text(td)).length,
      header: head.length,
      height: table.getBoundingClientRect().height,
      narrowest,
      broken: broken.slice(0, 5),
      overflows,
      scrollable: !!scroller,
      hint_visible: !!hint && visible(hint),
      download: download ? download.getAttribute("href") : null,
      paged: !!(wrap && wrap.dataset.zjPageSize),
    };
  });

  const images = [...article.querySelectorAll("img")].map((img) => ({
    src: img.getAttribute("src") || "",
    width: img.getBoundingClientRect().width,
    natural: img.naturalWidth,
    complete: img.complete,
    shown: visible(img),
    figure: img.closest("figure")?.id || "",
  }));
  const empty_figures = [...article.querySelectorAll("figure")]
    .filter((f) => f.querySelector("figcaption"))
    .filter((f) => !f.querySelector("img, svg, table"))
    .map((f) => f.id || text(f.querySelector("figcaption")).slice(0, 40));

  // Interface words: the theme's chrome (everything outside the article), the controls inside
  // it, and the words a browser shows for an element (tooltips, labels, placeholders).
  const CONTROLS = "summary, button, .headerlink, .copybtn, .toggle-details, details > .admonition-title, .dropdown-menu, [role=button]";
  // Page titles are content, not interface (the English summary's title is English).
  const SKIP = "script, style, noscript, template, .bd-links, .toc-entry, .bd-toc-nav, .prev-next-title, a[href*='_en.html']";
  const words = new Set();
  const outside = (node) => !article.contains(node);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const t = node.textContent.trim();
    if (!t || !el || el.closest(SKIP)) continue;
    if (outside(el) || el.closest(CONTROLS)) words.add(t);
  }
  // (An image's alt text is its caption, content; the head's links are not shown.)
  for (const el of document.body.querySelectorAll("[title], [aria-label], [placeholder], [data-bs-title]")) {
    if (el.closest(SKIP)) continue;
    for (const a of ["title", "aria-label", "placeholder", "data-bs-title"]) {
      const v = el.getAttribute(a);
      if (v) words.add(v.trim());
    }
  }

  return {
    width: window.innerWidth,
    column: article.getBoundingClientRect().width,
    text_column: (article.querySelector("p") || article).getBoundingClientRect().width,
    height: document.documentElement.scrollHeight,
    page_overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
    lang: document.documentElement.lang,
    tables,
    images,
    empty_figures,
    interface: [...words],
  };
})()
