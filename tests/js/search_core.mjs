// The search core of theme/js/search.js (find, rank, counts) run under node on a fake Pagefind.
// Run by tests/test_search_core.py; exits non-zero on the first failed assertion.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(new URL("../../theme/js/search.js", import.meta.url), "utf8");
const window = {};
const document = { getElementById: () => null, baseURI: "http://localhost/" };
vm.runInNewContext(source, { window, document, URL, URLSearchParams, Set, Map, Promise });
const core = window.publisherSearch.core;

// A tiny Pagefind: pages of words (one per Han character, as publisher/search.py indexes them).
function page(id, year, unit, text) {
  const words = Array.from(text).filter((c) => c.trim());
  return { id, year, words, filters: { 年度: String(year), 单位: unit, 文档类型: "部门决算", 地区: "某地" } };
}
const PAGES = [
  page("a", 2020, "甲", "三公经费支出三公经费公务接待费"),
  page("b", 2021, "甲", "三公经费公务接待费"),
  page("c", 2021, "乙", "三项经费公开"),  // 三 and 公 apart: not a match for "三公"
  page("d", 2019, "乙", "三公三公三公公务接待"),
];

function matches(p, filters) {
  return Object.entries(filters || {}).every(([group, f]) => f.any.includes(p.filters[group]));
}
function positionsOf(p, word) {
  return p.words.flatMap((w, i) => (w === word ? [i] : []));
}
function counts(pages) {
  const out = {};
  for (const p of pages) {
    for (const [group, value] of Object.entries(p.filters)) {
      out[group] = out[group] || {};
      out[group][value] = (out[group][value] || 0) + 1;
    }
  }
  return out;
}
const calls = [];
const fake = {
  async search(term, options = {}) {
    calls.push(term);
    let pages = PAGES.filter((p) => matches(p, options.filters));
    let words = () => [];
    if (term !== null) {
      const quoted = term.startsWith('"');
      const parts = term.replace(/"/g, "").split(" ");
      if (quoted) {
        pages = pages.filter((p) => positionsOf(p, parts[0]).some((i) => parts.every((w, k) => p.words[i + k] === w)));
      } else {
        pages = pages.filter((p) => parts.every((w) => positionsOf(p, w).length));
        words = (p) => parts.flatMap((w) => positionsOf(p, w)).sort((x, y) => x - y);
      }
    }
    if (options.sort && options.sort.year === "desc") pages = [...pages].sort((x, y) => y.year - x.year);
    return {
      results: pages.map((p) => ({ id: p.id, score: 1, words: words(p), data: async () => p })),
      filters: counts(pages),
    };
  },
};
const ids = (found) => found.results.map((r) => r.id);
// Values made in the script's own context: compared as plain data.
const plain = (value) => JSON.parse(JSON.stringify(value));

// A query's parts and their Pagefind phrases.
assert.deepEqual(plain(core.parts("三公经费 2021年度")), ["三公经费", "2021", "年度"]);
assert.deepEqual(plain(core.parts("  ")), []);
assert.equal(core.phrase("三公"), '"三 公"');
assert.equal(core.phrase("2021"), '"2021"');

// An exact substring match, ranked by how often it occurs: d (3×) before a (2×) before b (1×).
let found = await core.find(fake, "三公", {});
assert.deepEqual(plain(ids(found)), ["d", "a", "b"]);
assert.equal(found.total, 3);
assert.deepEqual(plain(found.counts)["年度"], { 2019: 1, 2020: 1, 2021: 1 });

// Every part must occur: 三公 and 支出 only on a.
found = await core.find(fake, "三公 支出", {});
assert.deepEqual(plain(ids(found)), ["a"]);
assert.equal(found.counts, null, "Pagefind cannot count a query of several parts");

// Above the rank limit: newest first, and no unquoted search is run.
calls.length = 0;
found = await core.find(fake, "三公", {}, 0);
assert.deepEqual(plain(ids(found)), ["b", "a", "d"]);
assert.ok(calls.every((term) => term === null || term.startsWith('"')), calls.join(","));

// A selection filters the results; its own group is counted without it, the others with it.
found = await core.find(fake, "三公", { 年度: ["2021"] });
assert.deepEqual(plain(ids(found)), ["b"]);
assert.deepEqual(plain(found.counts)["年度"], { 2019: 1, 2020: 1, 2021: 1 });
assert.deepEqual(plain(found.counts)["单位"], { 甲: 1 });

// Filters alone (no query) list every matching page, newest first.
found = await core.find(fake, "", { 单位: ["乙"] });
assert.deepEqual(plain(ids(found)), ["c", "d"]);
assert.equal(found.total, 2);

// Stale pages (an overlay indexed them again) are left out of results and filter counts:
// here b's old version, with its values of 年度 and 单位, and a page no search finds.
const fresh = core.live(fake, [["b", { 年度: ["2021"], 单位: ["甲"] }], ["zz", { 年度: ["2021"] }]]);
found = await core.find(fresh, "三公", {});
assert.deepEqual(plain(ids(found)), ["d", "a"]);
assert.equal(found.total, 2);
assert.deepEqual(plain(found.counts)["年度"], { 2019: 1, 2020: 1, 2021: 0 });
assert.deepEqual(plain(found.counts)["单位"], { 甲: 1, 乙: 1 });
found = await core.find(fresh, "", { 年度: ["2021"] });
assert.deepEqual(plain(ids(found)), ["c"]);
assert.deepEqual(plain(found.counts)["单位"], { 甲: 0, 乙: 1 });
const kept = { results: [{ id: "b" }, { id: "c" }], filters: { 年度: { 2021: 2 } } };
const shown = await core.live({ search: async () => kept }, [["b", { 年度: ["2021"] }]]).search(null, {});
assert.deepEqual(plain(shown), { results: [{ id: "c" }], filters: { 年度: { 2021: 1 } } });
assert.deepEqual(plain(kept), { results: [{ id: "b" }, { id: "c" }], filters: { 年度: { 2021: 2 } } }, "Pagefind's own response stays");
assert.equal(core.live(fake, []), fake, "without stale pages the search is Pagefind's own");

// Excerpts are shown as printed: the index copy's spaces beside Han characters go (also
// around <mark>), a mark per character is merged, other spaces stay.
assert.equal(
  core.tidy("本 年 <mark>公</mark> <mark>务</mark> 费 2020 年 度 ， 其 中 A 类 和 Pagefind index"),
  "本年<mark>公务</mark>费2020年度，其中A类和Pagefind index"
);

console.log("search core: all assertions passed");
