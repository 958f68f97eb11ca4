// The search page's filter counts, in a worker of their own.
//
// Counting every filter value for every search costs Pagefind several times the search itself, so
// the page searches without the filters loaded (and shows its results at once) while this worker,
// with its own copy of the index and all filters loaded, counts the same search for the filters.

let pagefind = null;
let queue = Promise.resolve(); // one message at a time, in order: init first

async function handle(message) {
  try {
    if (message.type === "init") {
      pagefind = await import(message.module);
      await pagefind.options({ basePath: message.bundles[0], baseUrl: message.baseUrl, noWorker: true });
      for (const bundle of message.bundles.slice(1)) {
        await pagefind.mergeIndex(bundle, { baseUrl: message.baseUrl });
      }
      await pagefind.filters();
      self.postMessage({ type: "ready" });
    } else if (message.type === "count") {
      const found = await pagefind.search(message.query, { filters: message.filters });
      const total = found.results.length; // the page shows it when only this search counts it
      self.postMessage({ type: "counts", id: message.id, filters: found.filters, total });
    }
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, message: String(error) });
  }
}

self.addEventListener("message", (event) => {
  queue = queue.then(() => handle(event.data));
});
