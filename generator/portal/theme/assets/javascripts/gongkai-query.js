// What a query names exactly, shared by the portal's search page (gongkai-search.js) and the
// federation's (federation-search.js, which `gongkai federate` publishes beside this file).
//
// Each entry page carries exact tokens for its 文号 and 索引号 (generator/search.py's
// exact_token); a query that holds a 文号 or a 索引号 is searched for the same tokens, so the page
// it names comes first whatever the word segmentation makes of it.

export const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
export const CJK_ALL = /([\u3400-\u9fff\uf900-\ufaff])/g;
// A 文号 such as 示府办〔2024〕12号 (any brackets), and a 索引号 such as 11440100MB2C93220P/2024-00017.
export const DOC_NO = /[\u3400-\u9fff]{1,16}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号/g;
export const INDEX_NO = /[0-9A-Za-z]{4,}(?:\s*[/／\-－]\s*[0-9A-Za-z]+)+/g;

// The same token as generator/search.py's exact_token: normalised, then 32-bit FNV-1a, in hex.
export function exactToken(kind, value) {
  const brackets = { "[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔", "】": "〕" };
  const normal = value
    .normalize("NFKC")
    .replace(/[[\]()【】]/g, (c) => brackets[c])
    .replace(/\s+/g, "")
    .toUpperCase();
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(normal)) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return kind + h.toString(16).padStart(8, "0");
}

// The tokens of every 文号 and 索引号 in the query.
export function identifierTokens(query) {
  const tokens = [];
  for (const m of query.matchAll(DOC_NO)) tokens.push(exactToken("wh", m[0]));
  for (const m of query.matchAll(INDEX_NO)) tokens.push(exactToken("sy", m[0]));
  return tokens;
}
