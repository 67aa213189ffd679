// The book's tables on a screen: a hint under a table that scrolls sideways, sorting and
// paging for the tables marked for it (zjinnov.present.display). Loaded on every page; it
// acts only on tables in the article. Printed, every row shows (zjbook.css).
(() => {
  "use strict";
  const WORDS = {
    hint: "← 表格较宽，可左右滑动查看 →",
    sort: "按此列排序",
    prev: "上一页",
    next: "下一页",
    all: "显示全部",
    rows: (a, b, n) => `第 ${a}–${b} 行，共 ${n} 行`,
  };
  const NA = "—";

  // ---------------------------------------------------------------- sideways scrolling
  function scroller(table) {
    const box = table.closest(".zj-scroll, .pst-scrollable-table-container");
    return box || null;
  }

  function watch(table) {
    const box = scroller(table);
    if (!box) return;
    const holder = table.closest(".zj-table") || box;
    let hint = holder.querySelector(":scope > .zj-scroll-hint");
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "zj-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = WORDS.hint;
      box.insertAdjacentElement("afterend", hint);
    }
    const update = () => {
      const over = box.scrollWidth > box.clientWidth + 1;
      holder.classList.toggle("zj-overflows", over);
      box.classList.toggle("zj-scrolled", box.scrollLeft > 0);
    };
    update();
    box.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) new ResizeObserver(update).observe(box);
  }

  // ---------------------------------------------------------------- sorting
  function value(cell, numeric) {
    const text = cell.textContent.trim();
    if (!text || text === NA) return null;
    if (!numeric) return text;
    const n = parseFloat(text.replace(/[,\s]/g, "").replace("−", "-"));
    return Number.isNaN(n) ? null : n;
  }

  function sortable(wrap, table, pager) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    const body = table.tBodies[0];
    if (!head || !body) return;
    [...head.cells].forEach((th, col) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "zj-sort";
      button.title = WORDS.sort;
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", () => {
        const numeric = th.classList.contains("zj-num");
        const down = th.getAttribute("aria-sort") === "ascending";
        for (const other of head.cells) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        const rows = [...body.rows].map((tr, i) => [value(tr.cells[col], numeric), i, tr]);
        rows.sort((a, b) => {
          if (a[0] === null || b[0] === null) return (a[0] === null) - (b[0] === null) || a[1] - b[1];
          const c = numeric ? a[0] - b[0] : a[0].localeCompare(b[0], "zh-Hans-CN");
          return (down ? -c : c) || a[1] - b[1];
        });
        for (const r of rows) body.appendChild(r[2]);
        if (pager) pager.show(0);
      });
    });
  }

  // ---------------------------------------------------------------- paging
  function paged(wrap, table, size) {
    const body = table.tBodies[0];
    if (!body || body.rows.length <= size) return null;
    const bar = document.createElement("div");
    bar.className = "zj-pager";
    const button = (key) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = WORDS[key];
      bar.appendChild(b);
      return b;
    };
    const prev = button("prev");
    const where = document.createElement("span");
    bar.appendChild(where);
    const next = button("next");
    const all = button("all");
    let start = 0;
    let everything = false;
    const pager = {
      show(from) {
        const n = body.rows.length;
        start = Math.max(0, Math.min(from, Math.floor((n - 1) / size) * size));
        const end = everything ? n : Math.min(n, start + size);
        [...body.rows].forEach((tr, i) => tr.classList.toggle("zj-off", i < (everything ? 0 : start) || i >= end));
        where.textContent = WORDS.rows(everything ? 1 : start + 1, end, n);
        prev.disabled = everything || start === 0;
        next.disabled = everything || end >= n;
        all.hidden = everything;
      },
    };
    prev.addEventListener("click", () => pager.show(start - size));
    next.addEventListener("click", () => pager.show(start + size));
    all.addEventListener("click", () => {
      everything = true;
      pager.show(0);
    });
    (wrap.querySelector(":scope > .zj-scroll") || table).insertAdjacentElement("afterend", bar);
    pager.show(0);
    return pager;
  }

  function start() {
    const article = document.querySelector(".bd-article") || document.body;
    for (const table of article.querySelectorAll("table")) {
      const wrap = table.closest(".zj-table");
      if (wrap) {
        const size = parseInt(wrap.dataset.zjPageSize || "0", 10);
        const pager = size > 0 ? paged(wrap, table, size) : null;
        if (wrap.classList.contains("zj-sortable")) sortable(wrap, table, pager);
      }
      watch(table);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
