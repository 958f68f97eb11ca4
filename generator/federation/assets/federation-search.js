// The federation's search page: every member's Pagefind shards merged in the browser.
//
// The federation ships a small Pagefind bundle of its own pages (pagefind/federation/), whose
// pagefind.js and WebAssembly search every member's bundles once merged with mergeIndex. The
// page's configuration (written by generator/federation/render.py) lists each member's shards
// from its checked shards.json, with metaCacheTag set from its manifest digest: an unchanged
// member's metadata stays in the browser's cache, a changed one is fetched again. Each member's
// bundles are merged under a 成员 filter, which the "所选成员" scope searches within.
//
// The bundles are read from the members' own hosts, so each member must send
// Access-Control-Allow-Origin for /pagefind/*. A member whose bundle cannot be read is left out
// (Pagefind would otherwise fail every search) and named in the status line.
//
// As on a portal's own search page (gongkai-search.js), the entries a 文号 or 索引号 in the query
// names exactly come first, then those whose title holds the query as a phrase.

import { CJK, CJK_ALL, identifierTokens } from "./gongkai-query.js";

const PAGE = 20;

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("gkf-search-config").textContent);
// Words generator/search.py puts into a member's pages: the start of an entry's extra search
// terms, and the start of its text after the metadata table.
const { terms: TERMS_MARK, body: BODY_MARK } = config.marks;
const form = $("gkf-search-form");
const input = $("gkf-q");
const status = $("gkf-status");
const list = $("gkf-results");
const more = $("gkf-more");
let pagefind = null;
let ready = null;
let unreachable = [];
let found = [];
let shown = 0;
let generation = 0;

function memberOf(url) {
  return config.members.find((m) => url.startsWith(m.base));
}

// Whether the browser may read a member's bundle: one request per member, the URL Pagefind asks
// for next (so the answer is reused from the cache).
async function reachable(member) {
  try {
    const response = await fetch(new URL(`${member.shards[0]}pagefind-entry.json?ts=${member.tag}`, member.base));
    return response.ok;
  } catch {
    return false; // a network failure, or a response without Access-Control-Allow-Origin
  }
}

async function load() {
  const bundle = new URL("../pagefind/federation/", import.meta.url);
  pagefind = await import(new URL("pagefind.js", bundle).href);
  await pagefind.options({
    basePath: bundle.pathname,
    baseUrl: new URL("../", import.meta.url).pathname,
    excerptLength: 40,
    noWorker: true,
    mergeFilter: { [config.filter]: config.own },
  });
  await pagefind.init();
  const members = config.members.filter((m) => m.shards.length);
  const usable = await Promise.all(members.map(reachable));
  unreachable = members.filter((_, i) => !usable[i]).map((m) => m.name);
  const merges = [];
  members.forEach((member, i) => {
    if (!usable[i]) return;
    for (const shard of member.shards) {
      merges.push(
        pagefind.mergeIndex(new URL(shard, member.base).href, {
          baseUrl: member.base,
          mergeFilter: { [config.filter]: member.name },
          metaCacheTag: member.tag,
        }),
      );
    }
  });
  await Promise.all(merges);
  // The first search over the merged index costs several times the next ones (Pagefind sets up
  // every member's index then), so the page makes one before it is ready.
  await pagefind.search("公开");
  document.documentElement.dataset.searchReady = "true";
}

function chosenMembers() {
  const scope = form.querySelector('input[name="scope"]:checked').value;
  if (scope !== "chosen") return null;
  return [...form.querySelectorAll('input[name="member"]:checked')].map((box) => box.value);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  const chosen = params.getAll("member");
  const scope = params.get("scope") === "chosen" ? "chosen" : "all";
  form.querySelector(`input[name="scope"][value="${scope}"]`).checked = true;
  for (const box of form.querySelectorAll('input[name="member"]')) box.checked = chosen.includes(box.value);
}

function writeUrl(query, chosen) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (chosen) {
    params.set("scope", "chosen");
    for (const name of chosen) params.append("member", name);
  }
  const search = params.toString();
  history.replaceState(null, "", location.pathname + (search ? `?${search}` : ""));
}

async function run() {
  const mine = ++generation;
  list.setAttribute("aria-busy", "true");
  try {
    await search(mine);
  } finally {
    if (mine === generation) list.setAttribute("aria-busy", "false");
  }
}

async function search(mine) {
  const query = input.value.trim();
  const chosen = chosenMembers();
  writeUrl(query, chosen);
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = note("");
    return;
  }
  if (chosen && !chosen.length) {
    status.textContent = "请至少选择一个成员门户，或把搜索范围改为“全部”。";
    return;
  }
  status.textContent = "正在搜索……";
  await ready;
  const filters = chosen ? { [config.filter]: { any: chosen } } : {};
  const tokens = identifierTokens(query);
  const phrase = CJK.test(query) && !/["\s]/.test(query) ? `"${query.replace(CJK_ALL, " $1 ").trim()}"` : null;
  const searches = await Promise.all([
    tokens.length ? pagefind.search(tokens.join(" "), { filters }) : null,
    phrase ? pagefind.search(phrase, { filters }) : null,
    pagefind.search(query, { filters }),
  ]);
  if (mine !== generation) return;
  // Each search lists what the earlier ones did not. Pagefind names a result after its page's
  // content, so two members' identical pages share a name: a result is dropped only as many times
  // as an earlier search listed it.
  const listed = new Map();
  found = [];
  for (const search of searches) {
    const skip = new Map(listed);
    for (const result of search?.results || []) {
      const left = skip.get(result.id) || 0;
      if (left > 0) {
        skip.set(result.id, left - 1);
        continue;
      }
      listed.set(result.id, (listed.get(result.id) || 0) + 1);
      found.push(result);
    }
  }
  shown = 0;
  status.textContent = note(found.length ? `找到 ${found.length} 条结果` : "没有找到结果");
  await showMore(mine);
}

function note(text) {
  const missing = unreachable.length ? `以下成员门户的搜索索引无法读取，未包含在结果中：${unreachable.join("、")}` : "";
  return [text, missing].filter(Boolean).join("。");
}

// An entry's excerpt comes from its text after the metadata table (which the result shows
// already) and before its extra search terms, around the query where it occurs there.
function excerptText(data, query) {
  const content = data.content || "";
  const body = content.indexOf(BODY_MARK);
  const text = content
    .slice(body < 0 ? 0 : body + BODY_MARK.length)
    .split(TERMS_MARK)[0]
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "");
  const at = Math.max(0, text.indexOf(query));
  const from = Math.max(0, at - 30);
  return (from > 0 ? "…" : "") + text.slice(from, from + 90) + (from + 90 < text.length ? "…" : "");
}

async function showMore(mine, query = input.value.trim()) {
  const batch = await Promise.all(found.slice(shown, shown + PAGE).map((r) => r.data()));
  if (mine !== generation) return;
  for (const data of batch) {
    const member = memberOf(data.url);
    // Only pages on a member's host or on this site get a link.
    if (!member && !(data.url.startsWith("/") && !data.url.startsWith("//"))) continue;
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta?.title || data.url;
    const heading = document.createElement("h2");
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "gkf-result-meta";
    const agency = data.filters?.["机构"]?.[0];
    meta.textContent = [member ? member.name : config.own, agency].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.textContent = excerptText(data, query);
    item.append(heading, meta, excerpt);
    list.append(item);
  }
  shown += batch.length;
  more.hidden = shown >= found.length;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
form.addEventListener("change", (event) => {
  if (event.target.name === "member" && event.target.checked) {
    form.querySelector('input[name="scope"][value="chosen"]').checked = true;
  }
  if (input.value.trim()) run();
});
more.addEventListener("click", () => showMore(generation));
// While the reader types, the index chunks the query needs are loaded from the members' hosts.
let typing = null;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => ready.then(() => input.value.trim() && pagefind.preload(input.value.trim())), 150);
});

readUrl();
ready = load().then(
  () => {
    if (!input.value.trim()) status.textContent = note(`可以搜索 ${config.members.length} 个成员门户的公开信息`);
  },
  (error) => {
    console.error("federation search:", error);
    status.textContent = "搜索索引载入失败，请稍后再试。";
  },
);
if (input.value.trim()) run();
