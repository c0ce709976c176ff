// Query understanding over Pagefind, one module for the search boxes (kb-search.js imports it when a
// box is first used) and for `kb report search`, which runs it in Node against the built index
// (generator/pipeline/index/relaxed_query.mjs): what the report measures is what customers get.
//
// Pagefind finds only pages that hold every word of a query. Customers type questions and
// symptoms, so when that gives nothing (or only weak matches) the query is relaxed: words that
// match no indexed word are corrected from the site's vocabulary (one extra round of index chunks,
// for the corrected words), stop words are left out, and pages are ranked by how much of the
// query's meaning they hold (each word weighted by how rare it is, error codes most). Every
// relaxed search reuses the index chunks the query as typed already loaded.
//
// engine: { lang, search(term) -> Pagefind's search response, words(key) -> the vocabulary shard
// for words starting with `key` (array, most common first) or null, pages() -> how many pages the
// index holds (from pagefind-entry.json, which Pagefind fetched already) }.

export const SHOWN = 8; // results a search box shows

// Words that carry no meaning of their own in a help-center query, per language. They stay in the
// query as typed (Pagefind ranks phrases with them); the relaxed ranking leaves them out.
// Negations are here too: "can't" is in most pages and says nothing about which one.
const STOP = {
  en: `a about am an and any are as at be been being but by can can't cannot could did didn't do
    does doesn't doing don't for from get gets getting got had has have having how i i'm i've if in
    into is isn't it it's its just me my myself no not of on or our please should so some than that
    the their them then there these they this those to too unable us very was wasn't we were what
    what's when where which while who why will with won't would you your`,
  es: `a al algo como cómo con cuál cuándo de del donde dónde el ella en es esta está están este
    fue ha hay la las le les lo los me mi mis muy no nos o para pero por porque puedo puede qué que
    se sí sin su sus un una unas uno unos usted y ya yo`,
  zh: `我 我的 你 您 你的 您的 的 了 吗 呢 吧 啊 呀 是 在 有 和 与 及 或 怎么 怎么办 怎样 如何 为什么 什么 哪里
    哪 能 可以 要 想 请 请问 一下 这 那 这个 那个 个 被 把 就 都 也 还 不 没 没有 无法 不能 会 该 应该 时 时候`,
};
const STOPS = new Map(Object.entries(STOP).map(([lang, list]) => [lang, new Set(list.split(/\s+/))]));

// An error code as customers type it: DS-1001, ds1001, ds 1001, API_4004.
const CODE = /^([a-z]{2,5})[-_ ]?(\d{3,5})$/i;
const CODE_IN_TEXT = /(?<![\p{L}\p{N}])([a-z]{2,5})[-_ ]?(\d{3,5})(?![\p{L}\p{N}])/giu;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/u;
const LATIN_WORD = /^[\p{Script=Latin}']+$/u;
const CODE_WEIGHT = 3; // an error code outweighs any word: its article comes first
const STRONG = 0.5; // a relaxed result holding at least this share of the query's weight is a good match

export function baseLang(lang) {
  return String(lang || "en").toLowerCase().split("-")[0];
}

function stopWords(lang) {
  // English stays in every list: help centers in other languages hold untranslated English pages,
  // and customers type English words on them.
  const own = STOPS.get(baseLang(lang)) || new Set();
  return (word) => own.has(word) || STOPS.get("en").has(word);
}

// Lower case, no accents, straight apostrophes: the way Pagefind compares words.
export function fold(text) {
  return String(text)
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[\u2018\u2019\u02bc\uff07]/g, "'")
    .toLowerCase();
}

// The query as one string with each error code spelt the one way (DS-1001), tidy spaces.
export function normalize(query) {
  return String(query)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(CODE_IN_TEXT, (_, letters, digits) => `${letters.toUpperCase()}-${digits}`)
    .replace(/\s+/g, " ")
    .trim();
}

function segments(text, lang) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    const segmenter = new Intl.Segmenter(baseLang(lang), { granularity: "word" });
    return Array.from(segmenter.segment(text))
      .filter((s) => s.isWordLike)
      .map((s) => s.segment);
  }
  return text.split(/[^\p{L}\p{N}'-]+/u).filter(Boolean);
}

// The words of a normalized query: {text (as searched), key (folded), code, stop, latin}.
export function words(query, lang) {
  const isStop = stopWords(lang);
  const out = [];
  const seen = new Set();
  for (const part of query.split(" ")) {
    const pieces = CODE.test(part) ? [part] : CJK.test(part) ? segments(part, lang) : [part];
    for (const raw of pieces) {
      const text = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      const key = fold(text);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const code = CODE.test(text);
      out.push({ text, key, code, stop: !code && isStop(key), latin: !code && LATIN_WORD.test(key) });
    }
  }
  return out;
}

// Optimal string alignment distance (a swap of two neighbours counts as one), given up above `max`.
export function distance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row.push(d);
      least = Math.min(least, d);
    }
    if (least > max) return max + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

// The vocabulary word closest to `key` (the first, most common, of the nearest); null if none is
// near enough: one edit for words up to seven letters, two for longer ones.
export function closest(key, vocabulary) {
  const max = key.length >= 8 ? 2 : 1;
  let best = null;
  let bestDistance = max + 1;
  for (const word of vocabulary) {
    if (word === key) return null;
    const d = distance(key, word, max);
    if (d < bestDistance) {
      best = word;
      bestDistance = d;
    }
  }
  return best;
}

// Whether Pagefind holds `word` as a whole word (a quoted search matches no longer word and falls
// back to no shorter one, as an unquoted search does: "cancle" would otherwise find "can").
async function indexed(engine, word) {
  const found = await engine.search(`"${word.text}"`);
  return found.results.length > 0;
}

// Corrections for the words the index does not hold: {fixes: key -> vocabulary word, lost: keys
// with none near}. The last word may be half typed: one that starts a vocabulary word is left alone.
async function corrections(engine, unknown, typed) {
  const fixes = new Map();
  const lost = new Set();
  await Promise.all(
    unknown.map(async (w) => {
      const vocabulary = (await Promise.resolve(engine.words(w.key[0])).catch(() => null)) || [];
      if (w === typed && vocabulary.some((v) => v.startsWith(w.key))) return;
      const fix = closest(w.key, vocabulary);
      if (fix) fixes.set(w.key, fix);
      else lost.add(w.key);
    }),
  );
  return { fixes, lost };
}

function corrected(list, fixes) {
  return list.map((w) => {
    const fix = fixes.get(w.key);
    return fix ? { ...w, text: fix, key: fix, typed: w.text } : w;
  });
}

function weight(df, total) {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

// The relaxed answer, best first: [{result, words, share}], `share` the part of the query's weight
// the page holds. First the pages holding all the words but stop words, then those holding the
// most significant ones (the least significant word left out, then the next), each as Pagefind
// ranks them; then any page holding any word, by the weight of the words it holds.
async function relaxed(engine, list) {
  const [total, ...searches] = await Promise.all([engine.pages(), ...list.map((w) => engine.search(w.text))]);
  const found = list
    .map((w, i) => ({ w, results: searches[i].results }))
    .filter((f) => f.results.length)
    .map((f) => ({ ...f, importance: weight(f.results.length, Math.max(total, f.results.length)) * (f.w.code ? CODE_WEIGHT : 1) }))
    .sort((a, b) => b.importance - a.importance);
  const sum = found.reduce((n, f) => n + f.importance, 0);
  const tiers = [];
  for (let k = found.length; k >= 2; k--) tiers.push(found.slice(0, k));
  const tierResults = await Promise.all(tiers.map((t) => engine.search(t.map((f) => f.w.text).join(" "))));
  const out = [];
  const seen = new Set();
  tiers.forEach((tier, i) => {
    const share = tier.reduce((n, f) => n + f.importance, 0) / sum;
    for (const result of tierResults[i].results) {
      if (seen.has(result.id)) continue;
      seen.add(result.id);
      out.push({ result, words: tier.map((f) => f.w.key), share });
    }
  });
  const pages = new Map();
  for (const f of found) {
    const top = f.results[0].score || 1;
    for (const result of f.results) {
      if (seen.has(result.id)) continue;
      const page = pages.get(result.id) || { result, score: 0, share: 0, words: [] };
      page.score += f.importance * (0.6 + (0.4 * result.score) / top);
      page.share += f.importance / sum;
      page.words.push(f.w.key);
      pages.set(result.id, page);
    }
  }
  out.push(...Array.from(pages.values()).sort((a, b) => b.score - a.score));
  return out;
}

// The answer to one query: ranked {result, words, exact} (result is Pagefind's, with data()),
// `strong` when the best of them holds the query's meaning, `corrected` (the query searched) when
// a word was corrected, and the words to highlight.
export async function find(engine, query) {
  const text = normalize(query);
  const list = words(text, engine.lang);
  const answer = { query: text, results: [], strong: false, corrected: null, highlight: [], relaxed: false };
  if (!list.length) return answer;
  const typed = /\s$/.test(String(query)) ? null : list[list.length - 1];
  const checked = list.filter((w) => w.latin && !w.stop && w.key.length >= 4);
  // One round of index chunks for every word, shared by the quoted searches. Pagefind looks a
  // Chinese, Japanese or Korean query up character by character and loads only the chunk holding
  // each character, so words that start with it but sit in the next chunk are missed (on the
  // sample, 重置 lost 如何重置密码 once the zh index had two chunks). Searching the next
  // character too loads that chunk in the same round; the query is then searched again.
  const warm = [...new Set(Array.from(text).filter((c) => CJK.test(c)))].map((c) =>
    String.fromCodePoint(c.codePointAt(0) + 1),
  );
  const [first, ...known] = await Promise.all([
    engine.search(text),
    ...checked.map((w) => indexed(engine, w)),
    ...warm.map((c) => engine.search(c)),
  ]);
  const asTyped = warm.length ? await engine.search(text) : first;
  const { fixes, lost } = await corrections(engine, checked.filter((_, i) => !known[i]), typed);
  const fixedList = corrected(list, fixes);
  if (fixes.size) answer.corrected = fixedList.map((w) => w.text).join(" ");
  // A word nothing is near stays out: Pagefind would match a shorter word ("november" finds "no").
  const kept = fixedList.filter((w) => !lost.has(w.key));
  const searched = kept.map((w) => w.text).join(" ");
  // The one extra round: chunks for the corrected words.
  const exact = searched === text ? asTyped : searched ? await engine.search(searched) : { results: [] };
  const meaningful = kept.filter((w) => !w.stop);
  answer.highlight = (meaningful.length ? meaningful : kept).map((w) => w.key);
  const exactResults = exact.results;
  const exactIds = new Set(exactResults.map((r) => r.id));
  answer.results = exactResults.map((result) => ({ result, words: answer.highlight, exact: true }));
  if (exactResults.length >= SHOWN || !meaningful.length) {
    answer.strong = exactResults.length > 0;
    return answer;
  }
  const rest = (await relaxed(engine, meaningful)).filter((page) => !exactIds.has(page.result.id));
  answer.results.push(...rest.map((page) => ({ result: page.result, words: page.words, exact: false })));
  answer.relaxed = rest.length > 0;
  answer.strong = exactResults.length > 0 || (rest.length > 0 && rest[0].share >= STRONG);
  return answer;
}

function holds(text, phrase) {
  if (CJK.test(phrase)) return text.includes(phrase); // no spaces between words
  const at = text.indexOf(phrase);
  if (at === -1) return false;
  const edge = (c) => c === undefined || !/[\p{L}\p{N}]/u.test(c);
  return edge(text[at - 1]) && edge(text[at + phrase.length]);
}

// The phrases the language's synonym and symptom groups (search/terms.json of its site) add to a
// query that holds one of theirs. Groups may name the default language's words ([导出, export]),
// so a query in Chinese for an article not translated yet finds it in the default language's
// index. The site's own index has the groups already (added to its pages when it was built).
export function expansions(query, terms) {
  const text = fold(normalize(query));
  const groups = [
    ...((terms && terms.synonyms) || []),
    ...((terms && terms.symptoms) || []).map((s) => [...s.query, ...s.matches]),
  ];
  const out = [];
  for (const group of groups) {
    if (!group.some((p) => holds(text, fold(p)))) continue;
    for (const p of group) if (!holds(text, fold(p)) && !out.includes(p)) out.push(p);
  }
  return out;
}

// The answer in the site's language and, on another language's site when that answer is weak,
// the default language's answer (to the query with its groups' phrases added).
export async function findEverywhere(primary, fallback, query, terms = null) {
  const main = await find(primary, query);
  if (!fallback || (main.strong && main.results.length >= 3)) return { main, other: null };
  const other = await find(fallback, [query, ...expansions(query, terms)].join(" "));
  return { main, other: other.results.length ? other : null };
}

// The page a URL shows, whatever the language: its last path segment.
export function pageOf(url) {
  return String(url).split(/[?#]/)[0].split("/").filter(Boolean).pop() || "";
}

// What findEverywhere found, with each result's data (title, summary, URL) loaded: `shown`, the
// first `count` of the language's results, and `others`, the default language's results for pages
// not among them. Entries are {result, words, exact, data}.
export async function load(found, count, otherCount = count) {
  const read = (entries, n) => Promise.all(entries.slice(0, n).map(async (e) => ({ ...e, data: await e.result.data() })));
  const shown = await read(found.main.results, count);
  const pages = new Set(shown.map((e) => pageOf(e.data.url)));
  const others = found.other ? (await read(found.other.results, otherCount)).filter((e) => !pages.has(pageOf(e.data.url))) : [];
  return { shown, others };
}

// Where `text` holds the words (a word of the text starting with one of them; in Chinese, Japanese
// and Korean the word anywhere): [start, end] ranges to mark, in order.
export function marks(text, highlight) {
  const folded = fold(text);
  if (folded.length !== text.length) return []; // positions would not line up
  const ranges = [];
  for (const word of highlight) {
    if (!word) continue;
    const anywhere = CJK.test(word);
    let at = folded.indexOf(word);
    while (at !== -1) {
      const startsWord = anywhere || at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1]);
      if (startsWord) {
        let end = at + word.length;
        if (!anywhere) while (end < folded.length && /[\p{L}\p{N}]/u.test(folded[end])) end++;
        ranges.push([at, end]);
      }
      at = folded.indexOf(word, at + word.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

// The query as it may leave the page: e-mail addresses and long numbers (phone, card, account,
// ticket) replaced; error codes (DS-1001) stay.
export function scrub(query) {
  return String(query)
    .replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g, "[email]")
    .replace(/\+?\d[\d\s().\/-]{4,}\d/g, (run) => (run.replace(/\D/g, "").length >= 6 ? "[number]" : run))
    .replace(/\d{6,}/g, "[number]")
    .slice(0, 200);
}
