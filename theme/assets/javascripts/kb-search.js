// Pagefind search for the header box and the home page box (every [data-kb-search] element).
// Pagefind's script, WebAssembly and index chunks load on first use of a box, so reading a page costs
// nothing, and a query fetches only the index chunks and result fragments it needs.
(() => {
  "use strict";

  const MAX_RESULTS = 8;
  let pagefind = null;

  // Material writes the relative path to the site root into #__config; the index lives at its /pagefind/.
  function siteRoot() {
    const config = document.getElementById("__config");
    let base = config ? JSON.parse(config.textContent).base : ".";
    if (!base.endsWith("/")) base += "/";
    return new URL(base, location.href);
  }

  function loadPagefind() {
    if (!pagefind) {
      const root = siteRoot();
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
        // Result URLs are stored relative to the indexed folder; a language build lives under /<lang>/.
        await pf.options({ baseUrl: root.pathname, excerptLength: 24 });
        await pf.init();
        return pf;
      });
      pagefind.catch(() => {
        pagefind = null; // let the next keystroke try again
      });
    }
    return pagefind;
  }

  function countText(box, n) {
    if (n === 0) return box.dataset.kbNone;
    if (n === 1) return box.dataset.kbOne;
    return box.dataset.kbOther.replace("#", String(n));
  }

  function resultItem(data, id, header) {
    // The link itself is the option: an option may hold no focusable element (axe nested-interactive).
    const item = document.createElement("li");
    item.setAttribute("role", "none");
    item.className = header ? "md-search-result__item kb-search-result" : "kb-search-result";
    const link = document.createElement("a");
    link.id = id;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.href = data.url;
    link.tabIndex = -1; // the combobox keeps focus; arrow keys move aria-activedescendant
    link.className = header ? "md-search-result__link" : "kb-search-result__link";
    const article = document.createElement("article");
    article.className = header ? "md-search-result__article md-typeset" : "kb-search-result__article";
    const title = document.createElement("div");
    title.className = "kb-search-result__title";
    title.textContent = data.meta.title || data.url;
    const summary = document.createElement("p");
    summary.className = "kb-search-result__summary";
    if (data.meta.summary) summary.textContent = data.meta.summary;
    else summary.innerHTML = data.excerpt; // Pagefind escapes page text; only <mark> is markup
    article.append(title, summary);
    link.append(article);
    item.append(link);
    return item;
  }

  function wire(box) {
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

    function show(results, total) {
      list.replaceChildren(...results.map((data, i) => resultItem(data, `${list.id}-${i}`, header)));
      status.textContent = countText(box, total);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      expand(true);
    }

    async function run() {
      const query = input.value.trim();
      const mine = ++latest;
      if (!query) {
        list.replaceChildren();
        status.textContent = hint;
        setActive(-1);
        expand(false);
        return;
      }
      try {
        const pf = await loadPagefind();
        const search = await pf.debouncedSearch(query, {}, 150);
        if (search === null || mine !== latest) return; // a newer keystroke superseded this one
        const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
        if (mine === latest) show(results, search.results.length);
      } catch (error) {
        if (mine !== latest) return;
        status.textContent = box.dataset.kbError;
        expand(true);
        console.error("kb-search:", error);
      }
    }

    function close() {
      if (toggle) toggle.checked = false;
      else expand(false);
      input.blur();
    }

    input.addEventListener("focus", () => {
      if (toggle) toggle.checked = true;
      loadPagefind();
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
          if (chosen) location.href = chosen.href;
          break;
        }
        case "Escape":
          event.preventDefault();
          close();
          break;
        default:
      }
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

  function init() {
    document.querySelectorAll("[data-kb-search]").forEach(wire);
    const headerInput = document.querySelector(".kb-search--header [data-kb-search-input]");
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
