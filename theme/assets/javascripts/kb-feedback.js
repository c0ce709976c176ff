/* "Was this article helpful?" (theme/partials/kb-feedback.html): a vote is sent as soon as it is
   chosen, the optional reason as a second record with the same vote. Each record is JSON
   {page, lang, vote, reason, date} posted with navigator.sendBeacon to the configured endpoint
   (text/plain, so no CORS preflight), and, when `analytics` is on and the page has Google
   Analytics, the event Material's own feedback widget sends: gtag("event", "feedback",
   {page, data}). No personal data: no identifier, no cookie, the date without a time; e-mail
   addresses and long numbers typed into the reason are replaced. */
(function () {
  "use strict";
  const box = document.querySelector("[data-kb-feedback]");
  if (!box) return;
  const endpoint = box.dataset.kbEndpoint;
  const analytics = box.dataset.kbAnalytics === "true";
  const form = box.querySelector("[data-kb-feedback-reason]");
  const thanks = box.querySelector("[data-kb-feedback-thanks]");
  let vote = null;

  function scrub(text) {
    return text
      .replace(/\S+@\S+/g, "[email]")
      .replace(/\d[\d\s-]{5,}\d/g, "[number]")
      .slice(0, 500);
  }

  function send(reason) {
    const record = {
      page: box.dataset.kbPage,
      lang: box.dataset.kbLang,
      vote: vote,
      reason: reason,
      date: new Date().toISOString().slice(0, 10),
    };
    if (endpoint && navigator.sendBeacon) navigator.sendBeacon(endpoint, JSON.stringify(record));
    if (analytics && typeof window.gtag === "function") {
      window.gtag("event", "feedback", { page: record.page, data: vote === "yes" ? 1 : 0 });
    }
  }

  box.querySelectorAll("[data-kb-vote]").forEach(function (button) {
    button.addEventListener("click", function () {
      vote = button.dataset.kbVote;
      box.querySelectorAll("[data-kb-vote]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-pressed", String(b === button));
      });
      send("");
      thanks.textContent = thanks.dataset.kbText;
      form.hidden = false;
      form.querySelector("textarea").focus();
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const reason = scrub(form.querySelector("textarea").value.trim());
    if (reason) send(reason);
    form.hidden = true;
    thanks.textContent = thanks.dataset.kbText;
  });

  box.hidden = false;
})();
