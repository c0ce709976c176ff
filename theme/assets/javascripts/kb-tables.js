/* A table wider than the screen (the agent site's health table on a phone) scrolls sideways in
   Material's wrapper: the wrapper then takes keyboard focus, so arrow keys can scroll it too.
   Material wraps tables when the document is ready, before this listener runs. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) wrap.tabIndex = 0;
      else wrap.removeAttribute("tabindex");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
