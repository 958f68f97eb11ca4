// Gongkai's additions to Decap CMS, loaded after decap-cms.js on /admin/ (see docs/zh/editor.md).
//
// Before every save (Decap's preSave event):
//  - empty values are left out: a field the clerk left blank is not written as `key: ""`, which
//    Gongkai reads as an empty text and refuses; the file keeps only what was filled in, as a
//    developer would write it;
//  - a new entry whose 索引号 the portal already shows is refused, with the reason in the notice
//    the editor shows: the clerk sees it before anything is committed. The list is the published
//    one (index-numbers.json, written with this page): a number taken since the last build, or by
//    an entry that is not published, is caught by `gongkai validate` in the pull request.
(function () {
  "use strict";
  var published = fetch("index-numbers.json")
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (numbers) { return new Set(numbers); })
    .catch(function () { return new Set(); });

  function isCollection(value) {
    return value !== null && typeof value === "object" && typeof value.toJS === "function";
  }

  function isEmpty(value) {
    return value === null || value === undefined ||
      (typeof value === "string" && value.trim() === "") ||
      (isCollection(value) && value.size === 0);
  }

  function withoutEmpty(value) {
    if (!isCollection(value)) return value;
    return value.map(withoutEmpty).filter(function (item) { return !isEmpty(item); });
  }

  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = withoutEmpty(entry.get("data"));
      var isNewEntry = entry.get("newRecord") && String(entry.get("collection")).indexOf("entries-") === 0;
      if (!isNewEntry) return data;
      var indexNo = String(data.get("index_no") || "").trim();
      return published.then(function (numbers) {
        if (numbers.has(indexNo)) {
          throw new Error("索引号 " + indexNo + " 已被门户上的另一条目使用：请改用本机构未用过的流水号");
        }
        return data;
      });
    },
  });
})();
