// A form is sent once: a second click (or Enter) while the first request is on its way is ignored, so
// a double click no longer makes two roles, two cases or two invitations. Forms that only read (GET),
// open a new tab, or that another script stopped (ask-first.js asks before sending) are left alone. The
// form may be sent again after a few seconds (a request that never came back) or when the page is shown
// again from the browser's back-forward cache. The server still answers a repeated request safely: this
// spares people the duplicate, it does not replace the server's checks.
(function () {
  const AGAIN_AFTER_MS = 8000;
  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post" || form.target === "_blank") return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () { release(form); }, AGAIN_AFTER_MS);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
