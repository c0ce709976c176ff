// Search for the header box, the home page box and the results page (/search/?q=...): every
// [data-kb-search] element. Pagefind's script, its WebAssembly, index chunks and
// kb-search-query.js (how a query is understood: corrected, relaxed, ranked) load on first use of
// a box, so reading a page costs nothing. A search that finds nothing, or only weak matches, shows
// the popular articles and the contact channels (copied from the results page), and on a site in
// another language the default language's results, labelled.
(() => {
  "use strict";

  const PAGE_RESULTS = 30; // the results page lists this many; a box shows core.SHOWN
  let loaded = null;
  let help = null;
  let session = { query: "", count: 0, sent: true };

  // Material writes the relative path to the site root into #__config; the index lives at its /pagefind/.
  function siteRoot() {
    const config = document.getElementById("__config");
    let base = config ? JSON.parse(config.textContent).base : ".";
    if (!base.endsWith("/")) base += "/";
    return new URL(base, location.href);
  }

  const pageLang = () => document.documentElement.getAttribute("lang") || "en";

  // One site's search: Pagefind at `root`, and its vocabulary of title and keyword words, in files
  // by first letter, fetched only to correct a word the index does not hold.
  async function engineAt(root) {
    const pf = await import(new URL("pagefind/pagefind.js", root).href);
    // Result URLs are stored relative to the indexed folder; a language build lives under /<lang>/.
    await pf.options({ baseUrl: root.pathname, excerptLength: 24 });
    await pf.init();
    const shards = new Map();
    const words = (key) => {
      if (!/^[a-z]$/.test(key)) return Promise.resolve(null);
      if (!shards.has(key)) {
        const url = new URL(`pagefind/kb-words/${key}.json`, root);
        shards.set(key, fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null));
      }
      return shards.get(key);
    };
    let count = null;
    const pages = () =>
      (count ||= fetch(new URL("pagefind/pagefind-entry.json", root))
        .then((r) => r.json())
        .then((entry) => Math.max(...Object.values(entry.languages).map((l) => l.page_count)))
        .catch(() => 1000));
    return { lang: pageLang(), search: (term) => pf.search(term), words, pages };
  }

  // Made on first use: on most pages nobody searches the default language's index.
  function lazyEngine(make) {
    let engine = null;
    const get = () => (engine ||= make());
    return {
      lang: pageLang(),
      search: async (term) => (await get()).search(term),
      words: async (key) => (await get()).words(key),
      pages: async () => (await get()).pages(),
    };
  }

  function load(box) {
    if (!loaded) {
      const root = siteRoot();
      const defaultRoot = box.dataset.kbDefaultRoot;
      loaded = Promise.all([
        import(new URL("assets/javascripts/kb-search-query.js", root).href),
        engineAt(root),
        fetch(new URL("search/settings.json", root))
          .then((r) => (r.ok ? r.json() : {}))
          .catch(() => ({})),
        // The language's synonym groups: they carry a query into the default language's index.
        fetch(new URL("search/terms.json", root))
          .then((r) => (r.ok ? r.json() : null))
          .catch(() => null),
      ]).then(([core, main, settings, terms]) => ({
        core,
        main,
        settings,
        terms,
        other: defaultRoot ? lazyEngine(() => engineAt(new URL(defaultRoot, root))) : null,
      }));
      loaded.catch(() => {
        loaded = null; // let the next keystroke try again
      });
    }
    return loaded;
  }

  // The results page's help (popular articles, contact channels), its links made absolute so they
  // work from any page.
  function loadHelp() {
    if (!help) {
      const page = new URL("search/", siteRoot());
      help = fetch(page)
        .then((r) => (r.ok ? r.text() : ""))
        .then((text) => {
          const doc = new DOMParser().parseFromString(text, "text/html");
          // The results page's own help, not the header box's empty place for it.
          const section = doc.querySelector("[data-kb-results-page] [data-kb-search-help]");
          if (!section) return [];
          section.querySelectorAll("a[href]").forEach((a) => {
            a.setAttribute("href", new URL(a.getAttribute("href"), page).href);
          });
          section.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
          return Array.from(section.childNodes);
        })
        .catch(() => []);
    }
    return help.then((nodes) => nodes.map((node) => document.importNode(node, true)));
  }

  // Analytics, when the site sets an endpoint: one report per search, when a result is chosen or
  // the search is left, with the query scrubbed of e-mail addresses and long numbers.
  function note(query, count) {
    session = { query, count, sent: false };
  }

  function report(clicked) {
    if (session.sent || !session.query || !loaded) return;
    session.sent = true;
    const { query, count } = session;
    loaded.then(({ core, settings }) => {
      if (!settings.analytics || !navigator.sendBeacon) return;
      const body = { query: core.scrub(query), lang: pageLang(), results: count, clicked };
      navigator.sendBeacon(settings.analytics, JSON.stringify(body));
    });
  }

  function pathOf(href) {
    return new URL(href, location.href).pathname;
  }

  function countText(box, n) {
    if (n === 0) return box.dataset.kbNone;
    if (n === 1) return box.dataset.kbOne;
    return box.dataset.kbOther.replace("#", String(n));
  }

  // `text` into `node`, the ranges core.marks finds wrapped in <mark>.
  function marked(node, text, ranges) {
    let at = 0;
    for (const [start, end] of ranges) {
      node.append(text.slice(at, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      node.append(mark);
      at = end;
    }
    node.append(text.slice(at));
    return node;
  }

  function element(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  // Title and summary of a result, matched words marked.
  function describe(core, data, words) {
    const title = data.meta.title || data.url;
    const heading = marked(element("div", "kb-search-result__title"), title, core.marks(title, words));
    const summary = element("p", "kb-search-result__summary");
    if (data.meta.summary) marked(summary, data.meta.summary, core.marks(data.meta.summary, words));
    else summary.innerHTML = data.excerpt; // Pagefind escapes page text; only <mark> is markup
    return [heading, summary];
  }

  function option(id, href, header, content) {
    // The link itself is the option: an option may hold no focusable element (axe nested-interactive).
    const item = element("li", header ? "md-search-result__item kb-search-result" : "kb-search-result");
    item.setAttribute("role", "none");
    const link = element("a", header ? "md-search-result__link" : "kb-search-result__link");
    link.id = id;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.href = href;
    link.tabIndex = -1; // the combobox keeps focus; arrow keys move aria-activedescendant
    const article = element("article", header ? "md-search-result__article md-typeset" : "kb-search-result__article");
    article.append(...content);
    link.append(article);
    item.append(link);
    return item;
  }

  // What a search found, ready to show: {core, answer, shown, others} (core.load).
  async function searchFor(box, query, count) {
    const { core, main, other, terms } = await load(box);
    const found = await core.findEverywhere(main, other, query, terms);
    const { shown, others } = await core.load(found, count, Math.min(count, 5));
    return { core, answer: found.main, shown, others };
  }

  function statusText(box, answer, shown, others) {
    const parts = [];
    if (answer.corrected) parts.push(box.dataset.kbCorrected.replace("#", answer.corrected));
    if (!shown.length && !others.length) parts.push(box.dataset.kbDeadEnd);
    else if (!answer.strong) parts.push(box.dataset.kbWeak);
    else parts.push(countText(box, answer.results.length));
    return parts.join(" · ");
  }

  async function showHelp(box, wanted) {
    const place = box.querySelector("[data-kb-search-help]");
    if (!place || box.hasAttribute("data-kb-results-page")) return;
    if (!wanted) {
      place.hidden = true;
      return;
    }
    if (!place.childElementCount) place.replaceChildren(...(await loadHelp()));
    place.hidden = place.childElementCount === 0;
  }

  function wireBox(box) {
    const input = box.querySelector("[data-kb-search-input]");
    const list = box.querySelector("[data-kb-search-results]");
    const status = box.querySelector("[data-kb-search-status]");
    const output = box.querySelector("[data-kb-search-output]");
    const header = box.classList.contains("kb-search--header");
    const toggle = header ? document.getElementById("__search") : null;
    const hint = status.textContent;
    let active = -1;
    let latest = 0;

    const options = () => Array.from(list.querySelectorAll('[role="option"]'));

    function setActive(index) {
      const all = options();
      active = all.length ? (index + all.length) % all.length : -1;
      all.forEach((opt, i) => opt.setAttribute("aria-selected", String(i === active)));
      if (active < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function expand(open) {
      input.setAttribute("aria-expanded", String(open));
      if (!header) output.hidden = !open;
    }

    function show({ core, answer, shown, others }, query) {
      let n = 0;
      const id = () => `${list.id}-${n++}`;
      const items = shown.map((e) => option(id(), e.data.url, header, describe(core, e.data, e.words)));
      if (others.length) {
        const group = element("li", "kb-search-group");
        group.setAttribute("role", "group");
        const label = element("div", "kb-search-group__label");
        label.id = `${list.id}-other`;
        label.textContent = box.dataset.kbInDefault;
        group.setAttribute("aria-labelledby", label.id);
        const inner = element("ul", "kb-search-group__list");
        inner.setAttribute("role", "none");
        inner.append(...others.map((e) => option(id(), e.data.url, header, describe(core, e.data, e.words))));
        group.append(label, inner);
        items.push(group);
      }
      if (shown.length || others.length) {
        const all = new URL("search/", siteRoot());
        all.searchParams.set("q", query);
        const more = element("div", "kb-search-result__title kb-search-all");
        more.textContent = box.dataset.kbAll;
        items.push(option(id(), all.href, header, [more]));
      }
      list.replaceChildren(...items);
      status.textContent = statusText(box, answer, shown, others);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      expand(true);
      note(query, shown.length + others.length);
      showHelp(box, !answer.strong);
    }

    async function run() {
      const query = input.value;
      const mine = ++latest;
      if (!query.trim()) {
        list.replaceChildren();
        status.textContent = hint;
        setActive(-1);
        expand(false);
        showHelp(box, false);
        return;
      }
      try {
        await new Promise((resolve) => setTimeout(resolve, 150)); // let the typing settle
        if (mine !== latest) return;
        const found = await searchFor(box, query, (await load(box)).core.SHOWN);
        if (mine === latest) show(found, query.trim());
      } catch (error) {
        if (mine !== latest) return;
        status.textContent = box.dataset.kbError;
        expand(true);
        console.error("kb-search:", error);
      }
    }

    function close() {
      report(null);
      if (toggle) toggle.checked = false;
      else expand(false);
      input.blur();
    }

    input.addEventListener("focus", () => {
      if (toggle) toggle.checked = true;
      load(box);
    });
    input.addEventListener("input", run);
    input.addEventListener("keydown", (event) => {
      const all = options();
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          setActive(active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          setActive(active < 0 ? -1 : active - 1);
          break;
        case "Enter": {
          event.preventDefault();
          const chosen = all[active < 0 ? 0 : active];
          if (chosen) {
            report(pathOf(chosen.href));
            location.href = chosen.href;
          }
          break;
        }
        case "Escape":
          event.preventDefault();
          close();
          break;
        default:
      }
    });
    list.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      if (link) report(pathOf(link.href));
    });
    box.querySelector("form")?.addEventListener("reset", () => {
      input.value = "";
      run();
      input.focus();
    });
    if (toggle) {
      toggle.addEventListener("change", () => {
        if (toggle.checked) input.focus();
        else input.blur();
      });
    } else {
      box.addEventListener("focusout", (event) => {
        if (!box.contains(event.relatedTarget)) expand(false);
      });
    }
  }

  // The results page: `q` from the address, every result as a link (Tab or the arrow keys move
  // through them), the address kept in step with the query so it can be shared.
  function wirePage(box) {
    const input = box.querySelector("[data-kb-search-input]");
    const list = box.querySelector("[data-kb-search-results]");
    const status = box.querySelector("[data-kb-search-status]");
    const hint = status.textContent;
    let latest = 0;

    function item(core, entry, other) {
      const li = element("li", other ? "kb-results-page__item kb-results-page__item--other" : "kb-results-page__item");
      const link = element("a", "kb-results-page__link");
      link.href = entry.data.url;
      const [title, summary] = describe(core, entry.data, entry.words);
      const where = element("p", "kb-results-page__url");
      where.textContent = decodeURI(pathOf(entry.data.url));
      link.append(title);
      li.append(link, summary, where);
      return li;
    }

    async function run() {
      const query = input.value.trim();
      const mine = ++latest;
      const address = new URL(location.href);
      if (query) address.searchParams.set("q", query);
      else address.searchParams.delete("q");
      history.replaceState(null, "", address);
      if (!query) {
        list.replaceChildren();
        status.textContent = hint;
        return;
      }
      try {
        const { core, answer, shown, others } = await searchFor(box, query, PAGE_RESULTS);
        if (mine !== latest) return;
        const items = shown.map((e) => item(core, e, false));
        if (others.length) {
          const label = element("li", "kb-results-page__group");
          label.textContent = box.dataset.kbInDefault;
          items.push(label, ...others.map((e) => item(core, e, true)));
        }
        list.replaceChildren(...items);
        status.textContent = statusText(box, answer, shown, others);
        note(query, shown.length + others.length);
      } catch (error) {
        if (mine !== latest) return;
        status.textContent = box.dataset.kbError;
        console.error("kb-search:", error);
      }
    }

    let timer = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    const now = () => {
      clearTimeout(timer);
      run();
    };
    box.querySelector("[data-kb-search-go]").addEventListener("click", now);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") now();
    });
    // Arrow keys: from the box to the first result, then from link to link; Escape back to the box.
    box.addEventListener("keydown", (event) => {
      const links = Array.from(list.querySelectorAll(".kb-results-page__link"));
      const at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)]?.focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      } else if (event.key === "Escape" && at >= 0) {
        input.focus();
      }
    });
    list.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      if (link) report(pathOf(link.href));
    });
    const query = new URLSearchParams(location.search).get("q");
    if (query) {
      input.value = query;
      run();
    }
  }

  function init() {
    document.querySelectorAll("[data-kb-search]").forEach((box) => {
      if (box.hasAttribute("data-kb-results-page")) wirePage(box);
      else wireBox(box);
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") report(null);
    });
    // A page with a box of its own (results page; home and 404 banner, whose header box is hidden).
    const pageInput = document.querySelector(
      "[data-kb-results-page] [data-kb-search-input], .kb-banner [data-kb-search-input]"
    );
    const headerInput = pageInput || document.querySelector(".kb-search--header [data-kb-search-input]");
    if (!headerInput) return;
    // Material's shortcuts for its own search box: "/", "s" and "f" open it from anywhere but a field.
    document.addEventListener("keydown", (event) => {
      if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (event.key === "/" || event.key === "s" || event.key === "f") {
        event.preventDefault();
        headerInput.focus();
        headerInput.select();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
