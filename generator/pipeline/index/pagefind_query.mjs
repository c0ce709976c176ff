// Runs real Pagefind searches against a written bundle, the way a browser would, from Node.
// Usage: node pagefind_query.mjs <bundle dir> <lang> [max results]  with a JSON array of queries on
// stdin. With a maximum, only that many results load their fragment, as the search box does.
// Prints {"init_bytes": n, "searches": [{query, bytes, results: [{url, title, summary}]}]}, where bytes
// counts what each search fetched (the first one also loads the WebAssembly module).
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const [bundleDir, lang, maxResults] = process.argv.slice(2);
const limit = maxResults ? Number(maxResults) : Infinity;
let fetched = 0;

// pagefind.js fetches its wasm and index chunks next to itself; serve them from disk and count bytes.
globalThis.fetch = async (input) => {
  const url = new URL(String(input));
  url.search = "";
  const body = await readFile(fileURLToPath(url));
  fetched += body.length;
  return new Response(body, { status: 200 });
};
// pagefind.js picks the language index from <html lang>, as on the built pages.
globalThis.document = {
  currentScript: null,
  querySelector: (selector) => (selector === "html" ? { getAttribute: () => lang } : null),
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const queries = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const pagefind = await import(pathToFileURL(join(bundleDir, "pagefind.js")).href);
await pagefind.options({ baseUrl: "/" });
await pagefind.init();
const initBytes = fetched;
const searches = [];
for (const query of queries) {
  const before = fetched;
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, limit).map((r) => r.data()));
  const results = data.map((d) => ({ url: d.url, title: d.meta.title ?? "", summary: d.meta.summary ?? "" }));
  searches.push({ query, bytes: fetched - before, results });
}
process.stdout.write(JSON.stringify({ init_bytes: initBytes, searches }));
