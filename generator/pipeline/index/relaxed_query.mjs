// Searches a built site the way its search boxes do: Pagefind's own pagefind.js, driven by the
// theme's kb-search-query.js (corrections, relaxation, the default language's index when a
// language's answer is weak). Each query starts from nothing, as a visitor's first search does.
// Usage: node relaxed_query.mjs with JSON on stdin:
//   {core, default, deep, sites: {<lang>: {dir, prefix}}, queries: [{lang, query}]}
// Prints [{lang, query, corrected, strong, relaxed, results: [url], other: [url], bytes,
//   fallback_bytes, extra_rounds}], where bytes counts pagefind.js, kb-search-query.js and every
// file the search fetched from its language's index (fragments of the first `shown` results), and
// extra_rounds the rounds of index chunks fetched after the first.
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const source = await readFile(job.core, "utf8");
const core = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

let htmlLang = "en";
globalThis.document = {
  currentScript: null,
  querySelector: (selector) => (selector === "html" ? { getAttribute: () => htmlLang } : null),
};

// Every fetch is a file of the built site; each counts toward the meter of the bundle it is in.
const meters = [];
globalThis.fetch = async (input) => {
  const url = new URL(String(input));
  url.search = "";
  const path = fileURLToPath(url);
  let body;
  try {
    body = await readFile(path);
  } catch {
    return new Response("", { status: 404 });
  }
  for (const meter of meters) {
    if (path.startsWith(meter.bundle)) meter.count(path, body.length);
  }
  return new Response(body, { status: 200 });
};

let fresh = 0;

// A visitor's engine for the site of `lang` at `dir`: a new pagefind.js instance and a byte meter.
async function engineFor(site, lang) {
  const bundle = join(site.dir, "pagefind") + "/";
  const meter = {
    bundle,
    bytes: 0,
    // A round: the searches the box starts together (one Promise.all of kb-search-query.js), the
    // next starting only once a search has finished. Counted by the searches, not by when chunks
    // arrive: the searches of one round finish one by one, and chunks of the first still arriving
    // then are not a round of their own.
    resolved: 0, // searches finished so far
    round: 0, // the round the searches started last belong to (0: the first)
    roundStart: 0, // `resolved` when that round started
    waves: new Set(), // rounds after the first that fetched an index chunk
    count(path, size) {
      this.bytes += size;
      if (path.endsWith(".pf_index") && this.round > 0) this.waves.add(this.round);
    },
  };
  meters.push(meter);
  const pf = await import(`${pathToFileURL(join(bundle, "pagefind.js")).href}?visitor=${fresh++}`);
  await pf.options({ baseUrl: `/${site.prefix}` });
  htmlLang = lang;
  await pf.init();
  const words = (key) => (/^[a-z]$/.test(key) ? fetch(pathToFileURL(join(bundle, "kb-words", `${key}.json`))).then((r) => (r.ok ? r.json() : null)) : null);
  const search = async (term) => {
    if (meter.resolved > meter.roundStart) {
      meter.round += 1;
      meter.roundStart = meter.resolved;
    }
    const found = await pf.search(term);
    meter.resolved += 1;
    return found;
  };
  const pages = async () => {
    const entry = await (await fetch(pathToFileURL(join(bundle, "pagefind-entry.json")))).json();
    return Math.max(...Object.values(entry.languages).map((l) => l.page_count));
  };
  return { engine: { lang, search, words, pages }, meter };
}


// The language's synonyms and symptoms, as the search boxes fetch them (search/terms.json).
async function termsOf(site) {
  try {
    return JSON.parse(await readFile(join(site.dir, "search", "terms.json"), "utf8"));
  } catch {
    return null;
  }
}

const scriptBytes = (await stat(job.core)).size;
const out = [];
for (const { lang, query } of job.queries) {
  const site = job.sites[lang];
  const main = await engineFor(site, lang);
  // The default language's index is opened only when the answer in `lang` is weak.
  let opened = null;
  let fallback = null;
  const open = async () => (fallback = await (opened ||= engineFor(job.sites[job.default], lang))).engine;
  const other =
    lang === job.default
      ? null
      : {
          lang,
          search: async (term) => (await open()).search(term),
          words: async (key) => (await open()).words(key),
          pages: async () => (await open()).pages(),
        };
  const found = await core.findEverywhere(main.engine, other, query, await termsOf(site));
  // What a search box loads (its first results), then down to the `deep`th for the ranks.
  await core.load(found, core.SHOWN, 5);
  const beforeDeep = main.meter.bytes;
  const { shown, others } = await core.load(found, job.deep);
  const results = shown.map((e) => e.data.url);
  const pagefindJs = (await stat(join(site.dir, "pagefind", "pagefind.js"))).size;
  out.push({
    lang,
    query,
    corrected: found.main.corrected,
    strong: found.main.strong,
    relaxed: found.main.relaxed,
    results,
    other: others.map((e) => e.data.url),
    bytes: pagefindJs + scriptBytes + beforeDeep,
    fallback_bytes: fallback ? fallback.meter.bytes : 0,
    extra_rounds: main.meter.waves.size,
  });
  meters.length = 0;
}
process.stdout.write(JSON.stringify(out));
