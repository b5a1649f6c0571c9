/* 大字模式 (large text) kept across pages, and sortable comparison tables.
   Progressive enhancement only: without this script every page and table still reads in full. */
(function () {
  "use strict";
  var KEY = "publisher-large-text";
  var root = document.documentElement;
  var button = document.getElementById("text-size");
  function show() {
    var on = root.classList.contains("large");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); button.textContent = on ? "标准字号" : "大字模式"; }
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      root.classList.toggle("large");
      try { localStorage.setItem(KEY, root.classList.contains("large") ? "1" : "0"); } catch (e) { /* private mode */ }
      show();
    });
    show();
  }

  // The table of contents starts folded on a phone, open on a wider screen.
  if (window.matchMedia && window.matchMedia("(min-width: 40.01rem)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (d) { d.open = true; });
  }

  function value(row, index, numeric) {
    var cell = row.cells[index];
    if (!numeric) return cell.textContent.trim();
    var raw = cell.getAttribute("data-value");
    return raw === null || raw === "" ? null : parseFloat(raw);
  }
  function sortBy(table, th, index) {
    var numeric = th.getAttribute("data-sort") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      if (x === null && y === null) return 0;
      if (x === null) return 1;  // blanks last, whichever the direction
      if (y === null) return -1;
      var order = numeric ? x - y : x.localeCompare(y, "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      if (!th.hasAttribute("data-sort")) th.setAttribute("data-sort", "text");
      b.addEventListener("click", function () { sortBy(table, th, index); });
    });
  });
})();
