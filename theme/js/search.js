// Search page (/search/): a small UI on Pagefind's JS API and this site's own /pagefind/ bundle.
//
// Not Pagefind's ready-made UI, because it shows nothing until a query is typed, and our
// filters must also work alone (年度 = 2021 lists that year's documents).
// Queries are rewritten: the index holds one word per Chinese character (publisher/search.py
// explains why), so each part of a query is split the same way and searched as a quoted
// phrase, which Pagefind matches as consecutive words: an exact substring match.
(function () {
  "use strict";

  // The same class as HAN in publisher/search.py (tests/test_search.py compares them).
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}";
  var HAN_RUN = new RegExp("^[" + HAN + "]+$", "u");
  // A query's parts: runs of Han characters, and runs of other letters or digits.
  var PART = new RegExp("[" + HAN + "]+|(?:(?![" + HAN + "])[\\p{L}\\p{N}])+", "gu");
  // A space the index copy put beside a Han character (publisher/search.py), with the
  // <mark> tags around it: taken out of excerpts, which show the page's text as printed.
  var SPACED = new RegExp(
    "([" + HAN + "])((?:</?mark>)*) (?=(?:</?mark>)*\\S)|(\\S)((?:</?mark>)*) (?=(?:</?mark>)*[" + HAN + "])",
    "gu"
  );
  var PAGE_SIZE = 10;
  var RANK_LIMIT = 2000;  // see find

  function parts(query) {
    return (query || "").match(PART) || [];
  }

  // A part as Pagefind words of our index: one per Han character, or the part itself.
  function words(part) {
    return HAN_RUN.test(part) ? Array.from(part) : [part];
  }

  // An excerpt as shown: Pagefind escapes the page text and adds only <mark>; the spaces
  // of the index copy go, and one mark per character is merged.
  function tidy(excerpt) {
    return excerpt.replace(SPACED, "$1$2$3$4").replace(/<\/mark><mark>/g, "");
  }

  function phrase(part) {
    return '"' + words(part).join(" ") + '"';
  }

  // Pagefind filters: any of the values selected within a group, every group with a selection.
  function pagefindFilters(selected, without) {
    var filters = {};
    Object.keys(selected).forEach(function (group) {
      if (group !== without && selected[group].length) filters[group] = { any: selected[group] };
    });
    return filters;
  }

  function intersect(lists) {
    var ids = lists.slice(1).map(function (list) {
      return new Set(list.map(function (r) { return r.id; }));
    });
    return lists[0].filter(function (r) {
      return ids.every(function (set) { return set.has(r.id); });
    });
  }

  // Results for ``query`` within the ``selected`` filters: {results, counts, total}.
  // Every part must occur as a phrase. Quoted searches are unranked, so pages are ranked
  // by how often the parts occur, counted from an unquoted search of their characters
  // (Pagefind's own score breaks ties). Above ``rankLimit`` results they are listed newest
  // first instead: the unquoted search returns every word position of every page, which
  // takes seconds when a term is on thousands of pages. ``counts``: see countsOf.
  async function find(pf, query, selected, rankLimit) {
    var ps = parts(query);
    var filters = pagefindFilters(selected);
    var newest = { filters: filters, sort: { year: "desc" } };
    if (!ps.length) {
      var all = await pf.search(null, newest);
      return { results: all.results, counts: await countsOf(pf, query, selected, all), total: all.results.length };
    }
    var phrases = await Promise.all(ps.map(function (p) { return pf.search(phrase(p), newest); }));
    var results = intersect(phrases.map(function (r) { return r.results; }));
    if (results.length <= (rankLimit === undefined ? RANK_LIMIT : rankLimit)) {
      var plain = await Promise.all(ps.map(function (p) { return pf.search(words(p).join(" "), { filters: filters }); }));
      var rank = new Map();
      plain.forEach(function (response, i) {
        var length = words(ps[i]).length;
        response.results.forEach(function (r) {
          var old = rank.get(r.id) || [0, 0];
          rank.set(r.id, [old[0] + occurrences(r.words, length), old[1] + r.score]);
        });
      });
      results.sort(function (a, b) {
        var x = rank.get(a.id) || [0, 0], y = rank.get(b.id) || [0, 0];
        return y[0] - x[0] || y[1] - x[1];
      });
    }
    return { results: results, counts: await countsOf(pf, query, selected, phrases[0]), total: results.length };
  }

  // How many runs of ``length`` consecutive word positions: the phrase's occurrences on a page.
  function occurrences(positions, length) {
    var at = new Set(positions);
    return positions.filter(function (p) {
      for (var i = 1; i < length; i++) if (!at.has(p + i)) return false;
      return true;
    }).length;
  }

  // Counts per filter value for ``query`` within ``selected``, for the groups whose data is
  // loaded (see loadGroup); null for a query of several parts, whose counts Pagefind cannot
  // give. ``response`` is the query's own search when the caller has it. A group with a
  // selection is counted without its own selection, so that its other values say how many
  // results they would add.
  async function countsOf(pf, query, selected, response) {
    var ps = parts(query);
    if (ps.length > 1) return null;
    var term = ps.length ? phrase(ps[0]) : null;
    response = response || await pf.search(term, { filters: pagefindFilters(selected) });
    var counts = Object.assign({}, response.filters);
    for (var group of Object.keys(selected)) {
      if (!selected[group].length) continue;
      var other = await pf.search(term, { filters: pagefindFilters(selected, group) });
      counts[group] = other.filters[group];
    }
    return counts;
  }

  // Pagefind without the ``stale`` pages: [id, filters] of pages that an overlay bundle has
  // indexed again after the site's shards were made (publisher/search.py). Their old versions
  // are left out of every result, and out of the filter counts (a page found counts once for
  // each of its values).
  function live(pf, stale) {
    if (!stale || !stale.length) return pf;
    var gone = new Map(stale);
    return {
      preload: function (term, options) { return pf.preload(term, options); },
      search: async function (term, options) {
        var response = await pf.search(term, options);
        if (!response) return response;
        var filters = {};
        Object.keys(response.filters || {}).forEach(function (group) {
          filters[group] = Object.assign({}, response.filters[group]);
        });
        var results = response.results.filter(function (r) {
          var values = gone.get(r.id);
          if (!values) return true;
          Object.keys(values).forEach(function (group) {
            values[group].forEach(function (value) {
              if (filters[group] && filters[group][value]) filters[group][value] -= 1;
            });
          });
          return false;
        });
        return Object.assign({}, response, { results: results, filters: filters });
      }
    };
  }

  // For tests and the browser console: the same search the page runs. ``core`` is the search
  // itself on any Pagefind-like object (tests/js/search_core.mjs runs it under node).
  window.publisherSearch = {
    HAN: HAN,
    parts: parts,
    find: function (query, selected, rankLimit) {
      return find(window.publisherSearch.pagefind, query, selected || {}, rankLimit);
    },
    core: { parts: parts, words: words, phrase: phrase, tidy: tidy, find: find, countsOf: countsOf, live: live },
    ready: null
  };

  // ---- the page ----------------------------------------------------------------------

  var root = document.getElementById("search");
  if (!root) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-filters");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var siteRoot = new URL(root.getAttribute("data-root"), document.baseURI);
  // the index's filter groups, as publisher/terms.py declares them (SEARCH_FILTERS)
  var GROUPS = root.getAttribute("data-groups").split(",");
  var state = { query: "", selected: {}, results: [], shown: 0, run: 0, available: {} };
  var pagefind = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sortValues(group, values) {
    return values.sort(function (a, b) {
      return group === "年度" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN");
    });
  }

  // A filter group's values and counts are fetched when the reader first opens the group:
  // at province scale the four groups' data is about 95 KB gzip (one file per group and
  // index shard), more than a query itself needs, and most searches never use a filter.
  async function loadGroup(group) {
    var filters = {};
    filters[group] = { any: [] };
    await pagefind.preload(null, { filters: filters });  // Pagefind loads the filters a search names
    state.available = (await pagefind.search(null, {})).filters;  // all pages: every loaded group's totals
  }

  async function onToggle(event) {
    var group = event.target.dataset.group;
    if (!event.target.open || group in state.available) return;  // loaded
    event.target.querySelector("fieldset").appendChild(el("p", "filter-loading", "正在载入…"));
    try {
      await loadGroup(group);
      await refreshFilters();
    } catch (error) {
      console.error(error);
      status.textContent = "筛选数据载入出错，请刷新页面后重试。";
    }
  }

  // The filter panel again, with counts for the current query and selection; the results stay.
  async function refreshFilters() {
    var run = state.run;
    var counts = hasCriteria() ? await countsOf(pagefind, state.query, state.selected) : state.available;
    if (run === state.run) renderFilters(counts);
  }

  function renderFilters(counts) {
    var old = {};
    panel.querySelectorAll("details").forEach(function (d) { old[d.dataset.group] = d.open; });
    panel.textContent = "";
    GROUPS.forEach(function (group) {
      var values = state.available[group] || {};
      var details = el("details", "filter-group");
      details.dataset.group = group;
      details.open = !!old[group];
      details.addEventListener("toggle", onToggle);
      details.appendChild(el("summary", "", group));
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", "visually-hidden", group));
      var chosen = state.selected[group] || [];
      sortValues(group, Object.keys(values)).forEach(function (value) {
        var count = counts ? (counts[group] || {})[value] || 0 : null;
        if (count === 0 && chosen.indexOf(value) < 0 && hasCriteria()) return;  // no results there
        var label = el("label", "filter-value");
        var box = el("input");
        box.type = "checkbox";
        box.name = group;
        box.value = value;
        box.checked = chosen.indexOf(value) >= 0;
        box.addEventListener("change", onFilter);
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        if (count !== null) label.appendChild(el("span", "count", "(" + count + ")"));
        fieldset.appendChild(label);
      });
      details.appendChild(fieldset);
      panel.appendChild(details);
    });
  }

  function hasFilters() {
    return GROUPS.some(function (g) { return (state.selected[g] || []).length; });
  }

  function hasCriteria() {
    return parts(state.query).length > 0 || hasFilters();
  }

  function renderResult(data) {
    var meta = data.meta || {};
    var item = el("li", "search-result");
    var title = el("h2", "result-title");
    var link = el("a", "", meta.title || data.url);
    link.href = data.url;
    title.appendChild(link);
    item.appendChild(title);
    var facts = el("p", "result-meta");
    [["unit", meta.unit], ["region", meta.region], ["year", meta.year && meta.year + "年度"]].forEach(function (f) {
      if (!f[1]) return;
      if (facts.childNodes.length) facts.appendChild(document.createTextNode(" · "));
      var span = el("span", "result-" + f[0], f[1]);
      facts.appendChild(span);
    });
    item.appendChild(facts);
    if (parts(state.query).length && data.excerpt) {
      var excerpt = el("p", "result-excerpt");
      excerpt.innerHTML = tidy(data.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  async function showMore() {
    var run = state.run;
    var batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
    var datas = await Promise.all(batch.map(function (r) { return r.data(); }));
    if (run !== state.run) return;
    datas.forEach(function (d) { list.appendChild(renderResult(d)); });
    state.shown += batch.length;
    more.hidden = state.shown >= state.results.length;
  }

  function summary(total) {
    var q = state.query.trim();
    if (q && total) return "找到 " + total + " 条与“" + q + "”相关的结果";
    if (q) return "没有找到与“" + q + "”相关的内容" + (hasFilters() ? "（可减少筛选条件再试）" : "");
    return total ? "共 " + total + " 份公开文件符合筛选条件" : "没有符合筛选条件的公开文件";
  }

  async function search() {
    var run = ++state.run;
    list.textContent = "";
    more.hidden = true;
    state.results = [];
    state.shown = 0;
    if (!hasCriteria()) {
      status.textContent = "";
      renderFilters(state.available);
      return;
    }
    status.textContent = "正在搜索…";
    try {
      var found = await find(pagefind, state.query, state.selected);
      if (run !== state.run) return;
      state.results = found.results;
      renderFilters(found.counts);
      await showMore();
      if (run === state.run) status.textContent = summary(found.total);
    } catch (error) {
      console.error(error);
      if (run === state.run) status.textContent = "搜索出错，请刷新页面后重试。";
    }
  }

  function keepQueryInUrl() {
    var url = new URL(window.location.href);
    if (state.query.trim()) url.searchParams.set("q", state.query.trim());
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  var typing = null;
  function onInput() {
    state.query = input.value;
    clearTimeout(typing);
    typing = setTimeout(function () { keepQueryInUrl(); search(); }, 250);
  }

  function onFilter(event) {
    var box = event.target;
    var chosen = state.selected[box.name] || [];
    state.selected[box.name] = box.checked ? chosen.concat([box.value])
      : chosen.filter(function (v) { return v !== box.value; });
    search();
  }

  function unavailable() {
    form.hidden = true;
    root.hidden = true;
    document.getElementById("search-unavailable").hidden = false;
  }

  async function start() {
    try {
      pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    } catch (error) {  // no index: `mkdocs serve`, or a site without disclosures
      unavailable();
      return;
    }
    await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 40 });
    // A large site is indexed in shards, and edits since in an overlay (publisher/search.py):
    // merge them into one search, without the pages the overlay has made stale.
    var shards = await fetch(new URL("pagefind/shards.json", siteRoot)).then(function (r) {
      return r.ok ? r.json() : {};
    }).catch(function () { return {}; });
    var merge = shards.merge || [];
    for (var i = 0; i < merge.length; i++) {
      await pagefind.mergeIndex(new URL(merge[i], siteRoot).href);
    }
    pagefind = live(pagefind, shards.stale);
    window.publisherSearch.pagefind = pagefind;
    input.addEventListener("input", onInput);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(typing);
      state.query = input.value;
      keepQueryInUrl();
      search();
    });
    more.addEventListener("click", showMore);
    state.query = input.value = new URLSearchParams(window.location.search).get("q") || "";
    await search();
  }

  window.publisherSearch.ready = start();
})();
