// The search page: Pagefind shards merged in the browser.
//
// The index is written as several Pagefind bundles (pagefind/<shard>/, listed newest first in
// pagefind/shards.json). The first is loaded and the others merged into it with Pagefind's
// multisite support (mergeIndex), so a search by relevance runs over all shards as one index.
//
// Pagefind ranks every page a query matches before it returns any: for a query that matches most
// of 100,000 pages that takes seconds. Every dated page therefore names its ISO week in a 周
// filter, and a search filtered to a few weeks ranks only their pages. Such searches go to the
// shard's own Pagefind instance (a second copy of its pagefind.js, loaded under another URL), as
// the merged one still does some work for every match in every shard. A search first looks at the
// newest week of the newest shard, which also tells how many pages the query matches there
// (Pagefind counts matches before it applies filters). A query that would match more than
// config.broad pages in all is listed a run of weeks at a time, newest first, each run ranked by
// relevance (entries a 文号 or 索引号 in the query names still come first); others are ranked over
// the whole index at once. Sorted by date, results come a run of weeks at a time in date order, as
// Pagefind cannot order the results of different shards against each other.
//
// There is one index, of the pages in simplified characters. A query is converted to simplified
// characters before it is searched, so a query typed in either script finds the page; on the 繁體
// search page (zh-hant/search/) the results lead to the 繁體 pages and are shown in traditional
// characters, converted character by character with the tables in gongkai-zh.json (written at
// build time from OpenCC by generator/portal/hant.py).
//
// The query lives in the URL (search/?q=...&sort=...&agency=...), so a search can be linked,
// bookmarked and typed into the address bar; the header's search box leads here.

import { CJK, CJK_ALL, exactToken, identifierTokens } from "./gongkai-query.js";

const PAGE = 20;
const SPACED_CJK = /[\u3400-\u9fff] [\u3400-\u9fff] [\u3400-\u9fff]/;
const DEBOUNCE_MS = 150;
const COUNT_DELAY_MS = 250;

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("gk-search-config").textContent);
// Words generator/search.py puts into the index: the 分片 filter of pages without a date, the start
// of an entry's extra search terms, and the start of an entry's text after its metadata table.
const { undated: UNDATED, terms: TERMS_MARK, body: BODY_MARK } = config.marks;
const WEEK = config.week; // the filter naming a dated page's ISO week
const form = $("gk-search-form");
const input = $("gk-search-q");
const sortSelect = $("gk-search-sort");
const status = $("gk-search-status");
const list = $("gk-results");
const more = $("gk-more");
const facetsBox = $("gk-facets");

const state = { query: "", sort: "", filters: {} };
const HANT = document.documentElement.lang === "zh-Hant";
const HANT_PREFIX = "zh-hant/";
let siteRoot = "/"; // the site's root path, where the index's page URLs start
let toSimplified = (text) => text;
let toTraditional = (text) => text;
// Text shown to the reader, in the page's script.
const inScript = (text) => (HANT ? toTraditional(text) : text);
let pagefind = null;
let counter = null; // the worker that counts filter values
let counterInit = null; // its first message, sent with the first count
let shards = []; // from shards.json, newest first
let indexBase = null; // the URL of pagefind/
const own = new Map(); // shard name -> a promise of the shard's own Pagefind instance
let results = null; // the current search: {next(count) -> Promise<results>, total}
let indexLoaded = null; // a promise: a query typed while the index loads waits for it
let shown = 0;
let generation = 0;

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.query = params.get("q") || "";
  state.sort = ["date-desc", "date-asc"].includes(params.get("sort")) ? params.get("sort") : "";
  state.filters = {};
  for (const f of config.filters) {
    const values = params.getAll(f.param).filter(Boolean);
    if (values.length) state.filters[f.key] = values;
  }
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  if (state.sort) params.set("sort", state.sort);
  for (const f of config.filters) {
    for (const value of state.filters[f.key] || []) params.append(f.param, value);
  }
  const search = params.toString();
  const url = location.pathname + (search ? `?${search}` : "");
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
}

function syncHeaderBox() {
  for (const box of document.querySelectorAll('form.gk-header-search input[name="q"]')) {
    box.value = state.query;
  }
}

async function loadCharacters() {
  const response = await fetch(new URL("gongkai-zh.json", import.meta.url));
  if (!response.ok) throw new Error(`gongkai-zh.json: HTTP ${response.status}`);
  const tables = await response.json();
  const table = ([from, to]) => {
    const map = new Map();
    const targets = [...to];
    [...from].forEach((c, i) => map.set(c, targets[i]));
    return (text) => text.replace(CJK_ALL, (c) => map.get(c) || c);
  };
  toSimplified = table(tables.t2s);
  toTraditional = table(tables.s2t);
}

// Every text node under ``element`` in the page's script.
function localize(element) {
  if (!HANT) return element;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) node.data = toTraditional(node.data);
  return element;
}

// A result's page: on the 繁體 search page, the page's 繁體 twin.
function pageUrl(url) {
  return HANT && url.startsWith(siteRoot) ? siteRoot + HANT_PREFIX + url.slice(siteRoot.length) : url;
}

async function loadIndex() {
  await loadCharacters();
  // config.index is relative to this script, which every version of the search page shares.
  const base = new URL(config.index, import.meta.url);
  indexBase = base;
  const response = await fetch(new URL("shards.json", base));
  if (!response.ok) throw new Error(`shards.json: HTTP ${response.status}`);
  shards = (await response.json()).shards;
  const root = new URL("../", base).pathname;
  siteRoot = root;
  const path = (shard) => new URL(shard.path, base).pathname;
  pagefind = await import(new URL("pagefind.js", new URL(shards[0].path, base)).href);
  // On the page's own thread: results need not be copied from a worker (much faster for many).
  await pagefind.options({ basePath: path(shards[0]), baseUrl: root, excerptLength: 40, noWorker: true });
  for (const shard of shards.slice(1)) {
    await pagefind.mergeIndex(path(shard), { baseUrl: root });
  }
  // The first search starts with the newest shard; a query rare there goes on to the next ones.
  // Their instances load their WebAssembly and metadata now, not when the first query comes.
  await Promise.all(shards.slice(0, 3).map((shard) => shardIndex(shard).then((index) => index.init())));
  // Filter counts come from a worker with its own copy of the index (gongkai-search-counts.js):
  // with every filter loaded here, each search would cost several times as much.
  try {
    counter = new Worker(new URL("gongkai-search-counts.js", import.meta.url), { type: "module" });
    counter.addEventListener("message", (event) => {
      const message = event.data;
      if (message.type === "error") console.error("filter counts:", message.message);
      if (message.id !== generation || message.type === "ready") return;
      renderFacets(message.type === "counts" ? message.filters : {});
      facetsBox.setAttribute("aria-busy", "false");
      if (message.type === "counts" && results && results.total === null) {
        results.total = message.total;
        announce();
      }
    });
    // Loaded with the first count, after the first results are on screen: loading every filter
    // of every shard takes the processor for a moment.
    counterInit = {
      type: "init",
      module: new URL("pagefind.js", new URL(shards[0].path, base)).href,
      bundles: shards.map(path),
      baseUrl: root,
    };
  } catch (error) {
    console.warn("no worker for the filter counts, counting on the page:", error);
    counter = null;
    await pagefind.filters(); // searches count the filters once they are loaded
  }
}

// The shard's own Pagefind instance, loaded on first use: a search of a few of its weeks costs
// only its own matches, where the merged instance does some work for every match in every shard.
function shardIndex(shard) {
  if (!own.has(shard.name)) {
    const load = async () => {
      const folder = new URL(shard.path, indexBase);
      // Another URL, so another module: the merged instance is shards[0]'s pagefind.js itself.
      const index = await import(new URL(`pagefind.js?shard=${encodeURIComponent(shard.name)}`, folder).href);
      await index.options({ basePath: folder.pathname, baseUrl: siteRoot, excerptLength: 40, noWorker: true });
      return index;
    };
    own.set(shard.name, load());
  }
  return own.get(shard.name);
}

async function requestCounts(id, query, filters, found) {
  if (!counter) {
    found = found || (await pagefind.search(query, { filters }));
    if (id !== generation) return;
    renderFacets(found.filters);
    if (results.total === null) {
      results.total = found.results.length;
      announce();
    }
    return;
  }
  facetsBox.setAttribute("aria-busy", "true");
  // Counting takes the other processor for a moment (every shard's matches): it starts once the
  // results have been on screen for a moment, and not at all for a search a newer one replaced,
  // so that it does not slow the next query of a reader who is still typing.
  await new Promise((resolve) => setTimeout(resolve, COUNT_DELAY_MS));
  if (id !== generation) return;
  if (counterInit) {
    counter.postMessage(counterInit);
    counterInit = null;
  }
  counter.postMessage({ type: "count", id, query, filters });
}

function pagefindFilters() {
  const filters = {};
  for (const [key, values] of Object.entries(state.filters)) {
    if (values.length) filters[key] = { any: values };
  }
  return filters;
}

// The same as generator/search.py's unigrams: a space around every Chinese character.
function unigrams(text) {
  return text.replace(CJK_ALL, " $1 ").replace(/\s+/g, " ").trim();
}

function exactTokens(query) {
  const tokens = identifierTokens(query);
  const name = query.trim();
  if (config.names.includes(name)) tokens.push(exactToken("mc", name));
  return tokens;
}

// Results a run of weeks at a time as the reader asks for more: newest weeks first ("desc" and
// "relevance") or oldest first ("asc"), then the pages without a date. A run stays within one
// shard (a week at the turn of a year falls in two): merged, Pagefind orders the results of
// different shards by score, never by date. A run starts as one week and doubles while runs come
// back short, so a narrow query or filter needs few searches. By relevance, a run of one week is
// ranked (the pages whose title holds the query as a phrase first) and a run of several sparse
// weeks is sorted by date, so results never go back to a newer week. A search also tells how many
// pages of its shard the query matches, filters aside: the rest of a shard it matches nowhere is
// skipped, and the rest of one it matches on at most config.sparse pages is searched at once (so
// few cost nothing to sort), so a query about an older year does not walk every newer week.
// ``first`` is the search of the first run, already made; ``seen`` the results already shown
// ahead of these.
function byWeek(query, filters, order, phrase, first, seen) {
  const runs = shards.filter((s) => s.dated && s.weeks?.length).map((s) => ({ shard: s, weeks: [...s.weeks] }));
  if (order === "asc") {
    runs.reverse();
    runs.forEach((run) => run.weeks.reverse());
  }
  let span = 1;
  let undated = false;
  const buffer = [];
  // With ``fetched``, only what the searches made so far found (the first run's): no new search.
  const next = async (count, fetched = false) => {
    // One result beyond the page, so that the page knows whether there are more to ask for.
    while (buffer.length <= count && (runs.length || !undated) && !(fetched && !first)) {
      const options = { filters: { ...filters } };
      let ranked = false; // by relevance: a single week; several sparse weeks go by date
      let index = null;
      let run = null;
      if (runs.length) {
        run = runs[0];
        const batch = run.weeks.splice(0, run.sparse ? run.weeks.length : span);
        index = await shardIndex(run.shard);
        options.filters[WEEK] = { any: batch };
        if (!run.weeks.length) runs.shift();
        ranked = order === "relevance" && batch.length === 1;
        if (!ranked) options.sort = { date: order === "asc" ? "asc" : "desc" };
      } else {
        undated = true; // pages without a date have no sort key: a sorted search would drop them
        index = await shardIndex(shards[0]); // they join the newest shard
        options.filters["分片"] = { any: [UNDATED] };
      }
      const [found, titled] =
        first && ranked
          ? await first
          : await Promise.all([
              index.search(query, options),
              ranked && phrase ? index.search(phrase, options) : null,
            ]);
      first = null;
      if (run && found.unfilteredResultCount <= config.sparse) {
        run.sparse = true;
        if (found.unfilteredResultCount === 0 && runs[0] === run) runs.shift();
      }
      const batch = [...(titled?.results || []), ...found.results].filter(unseen(seen));
      buffer.push(...batch);
      if (batch.length <= count) span = Math.min(span * 2, 64);
    }
    return buffer.splice(0, count);
  };
  const done = () => !buffer.length && !runs.length && undated;
  return { next, done };
}

// The shard and filters of the first run of byWeek: the newest week of the newest shard.
function newestWeek(filters) {
  const shard = shards.find((s) => s.dated && s.weeks?.length);
  return shard ? { shard, filters: { ...filters, [WEEK]: { any: [shard.weeks[0]] } } } : null;
}

// A shard's first search costs more than the next ones (Pagefind sets up its WebAssembly and loads
// the week filter), so the page makes one, where the first query will go, before it is ready.
async function warmUp() {
  const week = newestWeek({});
  if (!week) return;
  try {
    await (await shardIndex(week.shard)).search("公开", { filters: week.filters });
  } catch (error) {
    console.warn("search warm-up:", error);
  }
}

async function runSearch() {
  const mine = ++generation;
  list.setAttribute("aria-busy", "true");
  await indexLoaded;
  const filters = pagefindFilters();
  const hasFilters = Object.keys(filters).length > 0;
  const query = toSimplified(state.query.trim());
  if (!query && !hasFilters) {
    results = null;
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    renderFacets(null);
    facetsBox.setAttribute("aria-busy", "false");
    list.setAttribute("aria-busy", "false");
    return;
  }
  // Ahead of everything: the entries a 文号 or 索引号 in the query names exactly. By relevance,
  // then the pages whose title (or 文号, 主题词) holds the query as written, found as a phrase of
  // single characters.
  const tokens = exactTokens(query);
  const phrase = CJK.test(query) && !/["\s]/.test(query) ? `"${unigrams(query)}"` : null;
  const order = state.sort ? state.sort.slice(5) : "relevance";
  // The newest week, which also counts the pages the query matches in its shard before any
  // filter: from them, about how many it matches in all.
  const week = newestWeek(filters);
  const newest = week
    ? shardIndex(week.shard).then((index) =>
        Promise.all([
          index.search(query || null, { filters: week.filters }),
          phrase ? index.search(phrase, { filters: week.filters }) : null,
        ]),
      )
    : null;
  const [probe, named] = await Promise.all([
    newest,
    tokens.length ? pagefind.search(tokens.join(" "), { filters }) : null,
  ]);
  const pages = shards.reduce((sum, shard) => sum + shard.pages, 0);
  // After the pages the query names exactly, the rest are listed by week: ranking them all can
  // cost a second (each of a 文号's many short words matches thousands of pages).
  const exactly = named?.results.length > 0 && order === "relevance";
  let matches = probe ? (probe[0].unfilteredResultCount * pages) / Math.max(week.shard.pages, 1) : 0;
  if (probe && matches <= config.broad && !exactly) {
    // Not broad in the newest shard: count the matches in every shard. Filtered to the newest
    // week, the merged instance ranks next to nothing and counting costs little for a query that
    // matches this few in the newest shard (2024, say, is in other shards).
    matches = (await pagefind.search(query || null, { filters: week.filters })).unfilteredResultCount;
  }
  const broad = matches > config.broad;
  const weekly = broad || exactly;
  let found = null;
  if (!weekly && (order === "relevance" || !week)) {
    found = await pagefind.search(query || null, { filters });
  }
  if (mine !== generation) return; // a newer search has started
  const seen = new Set();
  const exact = order === "relevance" ? (named?.results || []).filter(unseen(seen)) : [];
  if (found && order === "relevance") {
    const titled = phrase ? await pagefind.search(phrase, { filters }) : null; // at most config.broad
    if (mine !== generation) return;
    const all = [...exact, ...[...(titled?.results || []), ...found.results].filter(unseen(seen))];
    results = listed(all);
  } else if (found) {
    // No dated pages: one search, in the order Pagefind sorts.
    results = listed((await pagefind.search(query || null, { filters, sort: { date: order } })).results);
  } else {
    const weekly = byWeek(query || null, filters, order, phrase, newest, seen);
    const first = exact;
    results = {
      total: null, // counted by the filter worker, a moment later
      broad,
      // A page that starts with pages the query names exactly shows them at once, with what the
      // newest week has; the next weeks are searched when the reader asks for more.
      next: async (count) => {
        const head = first.splice(0, count);
        return [...head, ...(await weekly.next(count - head.length, head.length > 0))];
      },
      done: () => !first.length && weekly.done(),
    };
  }
  shown = 0;
  list.replaceChildren();
  await showMore(mine);
  if (mine !== generation) return;
  requestCounts(mine, query || null, filters, found).catch(failed);
  announce();
  list.setAttribute("aria-busy", "false");
}

// A filter that keeps the results not yet in ``seen``, and adds them to it.
function unseen(seen) {
  return (result) => !seen.has(result.id) && seen.add(result.id);
}

// Results found at once, handed out a page at a time.
function listed(all) {
  let at = 0;
  return {
    total: all.length,
    next: async (count) => all.slice(at, (at += count)),
    done: () => at >= all.length,
  };
}

// The search's result count, in the status line (a live region).
function announce() {
  if (!results) return;
  const typed = state.query.trim();
  const quoted = typed ? `：“${typed}”` : "";
  if (results.total === null) {
    const newer = results.broad ? "，较新的排在前面" : "";
    status.textContent = shown ? inScript(`找到多条结果${quoted}${newer}；正在统计总数`) : inScript("正在搜索……");
  } else if (results.total) {
    const newest = results.broad && !state.sort ? "（结果较多，较新的排在前面）" : "";
    status.textContent = inScript(`找到 ${results.total} 条结果`) + quoted + inScript(newest);
  } else {
    const what = typed ? `与“${typed}”` : "";
    status.textContent = inScript(`没有找到${what}相符的结果。请换一个词语，或减少筛选条件。`);
  }
}

async function showMore(mine) {
  const batch = await results.next(PAGE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return;
  const start = shown;
  const query = toSimplified(state.query.trim());
  data.forEach((item, i) => list.append(resultItem(item, start + i + 1, query)));
  shown += batch.length;
  more.hidden = results.done();
}

// Pagefind's excerpts are text with <mark> around the matched words: keep exactly that, as nodes.
function excerptNodes(excerpt) {
  const doc = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const nodes = [];
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// Pagefind picks the excerpt around the most matched words, which on an entry page is mostly its
// title and the table of its metadata, both shown above the excerpt already. For entry pages the
// excerpt is therefore taken from the text after the table (after BODY_MARK: the summary and the
// full text), around the query where it occurs there; other pages keep Pagefind's excerpt unless it
// fell in their extra terms.
function excerptFor(item, query) {
  const content = item.content || "";
  const body = content.indexOf(BODY_MARK);
  const plain = (item.excerpt || "").replace(/<\/?mark>/g, "");
  if (body < 0 && plain && !plain.includes(TERMS_MARK) && !SPACED_CJK.test(plain)) {
    return excerptNodes(item.excerpt);
  }
  const text = content
    .slice(body < 0 ? 0 : body + BODY_MARK.length)
    .split(TERMS_MARK)[0]
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, ""); // Pagefind joins the page's blocks with ". "
  const needles = [query, ...query.split(/\s+/), ...(query.match(/[\u3400-\u9fff]+/g) || [])].filter(Boolean);
  let at = -1;
  let needle = "";
  for (const candidate of needles) {
    at = text.indexOf(candidate);
    if (at >= 0) {
      needle = candidate;
      break;
    }
  }
  const from = Math.max(0, at - 30);
  const window = (from > 0 ? "…" : "") + text.slice(from, from + 90) + (from + 90 < text.length ? "…" : "");
  if (!needle) return [document.createTextNode(window)];
  const nodes = [];
  let rest = window;
  for (let i = rest.indexOf(needle); i >= 0; i = rest.indexOf(needle)) {
    nodes.push(document.createTextNode(rest.slice(0, i)));
    const mark = document.createElement("mark");
    mark.textContent = needle;
    nodes.push(mark);
    rest = rest.slice(i + needle.length);
  }
  nodes.push(document.createTextNode(rest));
  return nodes;
}

function resultItem(item, position, query) {
  const li = document.createElement("li");
  li.className = "gk-result";
  const heading = document.createElement("h3");
  const a = document.createElement("a");
  a.href = pageUrl(item.url);
  a.textContent = item.meta.title || item.url;
  heading.append(a);
  li.append(heading);
  const facts = [item.meta.agency, item.meta.date, item.meta.docno].filter(Boolean);
  if (facts.length) {
    const meta = document.createElement("p");
    meta.className = "gk-result-meta";
    meta.textContent = facts.join(" · ");
    li.append(meta);
  }
  if (item.meta.indexno) {
    const index = document.createElement("p");
    index.className = "gk-result-index";
    index.textContent = `索引号：${item.meta.indexno}`;
    li.append(index);
  }
  if (item.excerpt || item.content) {
    const excerpt = document.createElement("p");
    excerpt.className = "gk-result-excerpt";
    excerpt.append(...excerptFor(item, query));
    li.append(excerpt);
  }
  li.dataset.position = String(position);
  return localize(li);
}

// The values of a filter that this search has (or that are selected), in the portal's order.
function orderedValues(filter, counts) {
  const selected = state.filters[filter.key] || [];
  const shown = (v) => counts[v] > 0 || selected.includes(v);
  const known = filter.order.filter(shown);
  const rest = Object.keys(counts)
    .filter((v) => !filter.order.includes(v) && shown(v))
    .sort();
  return [...known, ...rest];
}

function renderFacets(counts) {
  if (!counts) {
    facetsBox.replaceChildren();
    const p = document.createElement("p");
    p.className = "gk-empty";
    p.textContent = inScript("输入关键词后，可按机构、主题分类、年份等筛选结果。");
    facetsBox.append(p);
    return;
  }
  const focused = document.activeElement?.closest?.("#gk-facets") ? document.activeElement.id : null;
  const groups = [];
  for (const filter of config.filters) {
    const values = orderedValues(filter, counts[filter.key] || {});
    const selected = state.filters[filter.key] || [];
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "gk-facet";
    const legend = document.createElement("legend");
    legend.textContent = filter.label;
    fieldset.append(legend);
    values.forEach((value, i) => {
      const id = `gk-f-${filter.param}-${i}`;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.name = filter.param;
      box.value = value;
      box.checked = selected.includes(value);
      box.setAttribute("form", "gk-search-form");
      box.addEventListener("change", () => {
        const now = new Set(state.filters[filter.key] || []);
        if (box.checked) now.add(value);
        else now.delete(value);
        state.filters[filter.key] = [...now];
        if (!now.size) delete state.filters[filter.key];
        writeUrl();
        runSearch().catch(failed);
      });
      const label = document.createElement("label");
      label.htmlFor = id;
      const count = (counts[filter.key] || {})[value] || 0;
      label.append(value, " ");
      const span = document.createElement("span");
      span.className = "gk-count";
      span.textContent = String(count); // the stylesheet adds the brackets
      label.append(span);
      const row = document.createElement("div");
      row.className = "gk-facet-value";
      row.append(box, label);
      fieldset.append(row);
    });
    groups.push(fieldset);
  }
  if (Object.keys(state.filters).length) {
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button gk-clear";
    clear.id = "gk-clear-filters";
    clear.textContent = "清除全部筛选";
    clear.addEventListener("click", () => {
      state.filters = {};
      writeUrl();
      runSearch().catch(failed);
      input.focus();
    });
    groups.unshift(clear);
  }
  groups.forEach(localize); // the labels: the values themselves stay as the index has them
  facetsBox.replaceChildren(...groups);
  if (focused) document.getElementById(focused)?.focus();
}

function failed(error) {
  console.error(error);
  $("gk-search-failed").hidden = false;
  status.textContent = inScript("搜索暂时无法使用。");
  list.setAttribute("aria-busy", "false");
}

function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

async function start() {
  // On a phone the filters start folded, so the results are not pushed below them.
  if (window.matchMedia("(max-width: 44.9375em)").matches) $("gk-facets-details").open = false;
  readUrl();
  input.value = state.query;
  sortSelect.value = state.sort;
  syncHeaderBox();
  if (location.protocol === "file:") {
    $("gk-search-offline").hidden = false;
    input.disabled = true;
    sortSelect.disabled = true;
    return;
  }
  const update = () => {
    state.query = input.value;
    state.sort = sortSelect.value;
    writeUrl();
    syncHeaderBox();
    runSearch().catch(failed);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update();
  });
  input.addEventListener("input", debounce(update, DEBOUNCE_MS));
  sortSelect.addEventListener("change", update);
  more.addEventListener("click", async () => {
    if (more.disabled) return;
    const first = shown;
    more.disabled = true;
    list.setAttribute("aria-busy", "true");
    try {
      await showMore(generation);
    } finally {
      more.disabled = false;
      list.setAttribute("aria-busy", "false");
    }
    list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => {
    readUrl();
    input.value = state.query;
    sortSelect.value = state.sort;
    runSearch().catch(failed);
  });
  indexLoaded = loadIndex().then(() => (state.query ? null : warmUp()));
  try {
    await indexLoaded;
  } catch (error) {
    failed(error);
    return;
  }
  document.documentElement.dataset.gkSearch = "ready";
  await runSearch().catch(failed);
  if (!state.query) input.focus();
}

start();
