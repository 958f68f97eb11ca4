// The resolver (r/?i=<索引号>): looks the 索引号 up in the map of its leading code
// (r/codes/<code>.json, written by generator/federation/render.py) and goes to the member's page
// that holds it; a 索引号 held by several members lists them.

const $ = (id) => document.getElementById(id);
const status = $("gkf-resolve-status");
const found = $("gkf-resolve-found");
const input = $("gkf-i");

// The same as render.py's resolver_key: the code before the first "/" or "-", upper case.
function normalise(indexNo) {
  return indexNo.normalize("NFKC").trim().toUpperCase();
}

function resolverKey(indexNo) {
  const head = normalise(indexNo).split(/[/-]/, 1)[0];
  return /^[0-9A-Z]{1,40}$/.test(head) ? head : "other";
}

async function resolve(indexNo) {
  const response = await fetch(new URL(`codes/${resolverKey(indexNo)}.json`, location.href));
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json())[normalise(indexNo)] || [];
}

async function main() {
  const indexNo = new URLSearchParams(location.search).get("i") || "";
  input.value = indexNo;
  if (!indexNo.trim()) return;
  status.textContent = "正在查找……";
  let places;
  try {
    places = await resolve(indexNo);
  } catch (error) {
    status.textContent = `查找失败（${error.message}），请稍后再试。`;
    return;
  }
  if (places.length === 1) {
    status.textContent = `正在前往${places[0][0]}……`;
    location.replace(places[0][1]);
    return;
  }
  if (!places.length) {
    status.textContent = `没有找到索引号为“${indexNo.trim()}”的条目。请核对索引号，或按成员和机构浏览目录。`;
    return;
  }
  status.textContent = `索引号“${indexNo.trim()}”在 ${places.length} 个成员门户中都有：`;
  for (const [name, url] of places) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = url;
    link.textContent = name;
    item.append(link);
    found.append(item);
  }
}

main();
