// Gongkai's additions to Decap CMS, loaded after decap-cms.js on /admin/ (see docs/zh/editor.md).
//
// Before every save (Decap's preSave event):
//  - empty values are left out: a field the clerk left blank is not written as `key: ""`, which
//    Gongkai reads as an empty text and refuses; the file keeps only what was filled in, as a
//    developer would write it;
//  - a new entry or report whose 索引号 the portal already shows is refused, with the reason in the
//    notice the editor shows: the clerk sees it before anything is committed. The list is the
//    published one (index-numbers.json, written with this page): a number taken since the last
//    build, or by an entry that is not published, is caught by `gongkai validate` in the pull
//    request;
//  - a new entry gets the two values its path is made of (config.yml: `{{gongkai_year}}/
//    {{gongkai_name}}`), the name `gongkai new entry` would give it: the year is the first four
//    characters of the 成文日期 as written (Decap's own {{year}} is the UTC year of the browser's
//    midnight: the year before for 1 January east of Greenwich), the name the serial of the
//    索引号 (its `serial` group in the agency's pattern, the field's pattern in config.yml).
//
// The entries' format, "gongkai-entry", reads and writes as Decap's "yaml" format does, with the
// YAML library Decap's format uses (the `yaml` package, the version inside decap-cms.js, vendored
// beside this script in yaml/: see assets/README.md), less those two keys: they name the file and
// are not written in it. The library is an ES module, loaded with import(): the page sets
// CMS_MANUAL_INIT, and Decap starts (CMS.init) once the format is registered, before it reads any
// entry. This script reads config.yml (for the 索引号 patterns) and hands Decap what it read
// (`load_config_file: false`), parsed as Decap parses it, so the file is fetched once; when it
// cannot be read, Decap is started to fetch it itself and show its own error.
(function () {
  "use strict";
  var ENTRY_FORMAT = "gongkai-entry";
  var NAME_KEYS = ["gongkai_year", "gongkai_name"];
  // Relative to this script's URL.
  var loaded = import("./yaml/index.js").then(function (module) { return module.YAML; });

  // As Decap's "yaml" format (decap-cms-core/src/formats/yaml.ts).
  var timestampTag = {
    identify: function (value) { return value instanceof Date; },
    default: true,
    tag: "!timestamp",
    test: RegExp("^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\\.[0-9]+)?)Z$"),
    resolve: function (text) { return new Date(text); },
    stringify: function (value) { return value.toISOString(); },
  };

  function addComments(items, comments, prefix) {
    items.forEach(function (item) {
      if (item.key === undefined) return;
      var key = item.key.toString();
      var path = prefix ? prefix + "." + key : key;
      if (comments[path]) item.commentBefore = " " + comments[path].split("\\n").join("\n ");
      if (item.value && Array.isArray(item.value.items)) addComments(item.value.items, comments, path);
    });
  }

  function byKeyOrder(order) {
    return function (a, b) {
      var i = order.indexOf(a.key && a.key.toString());
      var j = order.indexOf(b.key && b.key.toString());
      return i === -1 || j === -1 ? 0 : i > j ? 1 : i < j ? -1 : 0;
    };
  }

  function registerFormat(yaml) {
    window.CMS.registerCustomFormat(ENTRY_FORMAT, "yaml", {
      fromFile: function (content) {
        if (content && content.trim().endsWith("---")) content = content.trim().slice(0, -3);
        var doc = yaml.parseDocument(content, { customTags: [timestampTag], prettyErrors: true });
        doc.warnings.forEach(function (warning) { console.warn("YAML warning: " + warning.message); });
        if (doc.errors.length > 0) {
          throw new Error("YAML parsing error:\n" + doc.errors.map(function (e) { return e.message; }).join("\n"));
        }
        return doc.toJSON();
      },
      toFile: function (data, sortedKeys, comments) {
        var values = Object.assign({}, data);
        NAME_KEYS.forEach(function (key) { delete values[key]; });
        var node = yaml.createNode(values);
        addComments(node.items, comments || {}, "");
        node.items.sort(byKeyOrder(sortedKeys || []));
        var doc = new yaml.Document();
        doc.contents = node;
        return doc.toString();
      },
    });
  }

  var published = fetch("index-numbers.json")
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (numbers) { return new Set(numbers); })
    .catch(function () { return new Set(); });

  // The editor's configuration, parsed with Decap's options (decap-cms-core/src/actions/config.ts).
  var config = Promise.all([loaded, fetch("config.yml", { credentials: "same-origin" })])
    .then(function (results) {
      var response = results[1];
      if (!response.ok) throw new Error("config.yml: HTTP " + response.status);
      return response.text().then(function (text) {
        return results[0].parse(text, { maxAliasCount: -1, prettyErrors: true, merge: true });
      });
    });

  // Each entries collection's 索引号 pattern, from the editor's configuration.
  var patterns = config.then(function (parsed) {
    var found = {};
    (parsed.collections || []).forEach(function (collection) {
      var field = (collection.fields || []).find(function (f) { return f.name === "index_no"; });
      if (field && field.pattern) found[collection.name] = new RegExp(field.pattern[0]);
    });
    return found;
  });
  patterns.catch(function () {}); // a save then fails with the reason (below), not the page

  // The file name `gongkai new entry` gives (generator/records/entryfile.py): the serial, or the
  // 索引号 with every character but letters, digits, "-" and "." made "-".
  function fileName(pattern, indexNo) {
    var match = pattern ? pattern.exec(indexNo) : null;
    if (match && match.groups && match.groups.serial) return match.groups.serial;
    return indexNo.replace(/[^\p{L}\p{N}.-]/gu, "-");
  }

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
      var collection = String(entry.get("collection"));
      var isEntry = collection.indexOf("entries-") === 0;
      var isReport = collection.indexOf("reports-") === 0;
      if (!entry.get("newRecord") || !(isEntry || isReport)) return data;
      var indexNo = String(data.get("index_no") || "").trim();
      return Promise.all([published, patterns]).then(function (found) {
        if (found[0].has(indexNo)) {
          throw new Error("索引号 " + indexNo + " 已被门户上的另一条目使用：请改用本机构未用过的流水号");
        }
        if (!isEntry) return data;
        return data
          .set("gongkai_year", String(data.get("date") || "").slice(0, 4))
          .set("gongkai_name", fileName(found[1][collection], indexNo));
      });
    },
  });

  loaded.then(function (yaml) {
    registerFormat(yaml);
    return config.then(
      function (parsed) { window.CMS.init({ config: Object.assign({}, parsed, { load_config_file: false }) }); },
      function () { window.CMS.init(); }
    );
  });
})();
