// Search page: Pagefind's UI from this site's own /pagefind/ bundle (no external requests).
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  if (typeof PagefindUI === "undefined") {
    document.getElementById("search-unavailable").hidden = false;
    return;
  }
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-root") + "pagefind/",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    pageSize: 10,
    openFilters: ["年度", "文档类型"],
    translations: {
      placeholder: "搜索单位、年度或内容",
      clear_search: "清除",
      load_more: "更多结果",
      search_label: "搜索本站",
      filters_label: "筛选",
      zero_results: "没有找到与“[SEARCH_TERM]”相关的内容",
      many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的结果",
      one_result: "找到 1 条与“[SEARCH_TERM]”相关的结果",
      alt_search: "没有找到“[SEARCH_TERM]”，以下是“[DIFFERENT_TERM]”的结果",
      search_suggestion: "没有找到“[SEARCH_TERM]”，请尝试：",
      searching: "正在搜索“[SEARCH_TERM]”…"
    }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
