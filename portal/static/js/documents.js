// Live progress of documents: polls the status of every queued or rendering version and updates
// its row in place (status, pages, SHA-256, then the download link or the retry button).
(function () {
  const table = document.getElementById("document-list");
  if (!table) return;
  const text = table.dataset;
  const classes = JSON.parse(text.badges); // status -> badge class (portal/labels.py: DOCUMENT_STATUS_BADGE)

  function el(tag, attrs, content) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) { node.setAttribute(k, v); });
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function update(row, data) {
    row.dataset.status = data.status;
    const badge = row.querySelector(".doc-status .badge");
    badge.className = "badge " + classes[data.status];
    badge.textContent = text["label" + data.status.charAt(0).toUpperCase() + data.status.slice(1)] || data.status;
    const details = row.querySelector(".doc-details");
    if (data.status !== "ready" && data.status !== "failed") {
      // still waiting: after a minute in the queue the server says so (and that nothing is lost)
      let note = details.querySelector(".doc-waiting");
      if (data.waiting && !note) {
        note = el("span", { class: "text-body-secondary doc-waiting" });
        details.append(note);
      }
      if (note) note.textContent = data.waiting || "";
      return;
    }
    const spinner = row.querySelector(".doc-status .spinner-border");
    if (spinner) spinner.remove();
    const actions = row.querySelector(".doc-actions");
    details.replaceChildren();
    actions.replaceChildren();
    if (data.status === "ready") {
      details.append(text.pagesLabel.replace("%(n)d", data.pages) + " · SHA-256 ");
      details.append(el("code", { class: "doc-sha", title: data.sha256 }, data.sha256.slice(0, 16) + "…"));
      actions.append(el("a", { class: "btn btn-sm btn-primary doc-download", href: data.download }, text.downloadLabel));
    } else {
      details.append(el("span", { class: "text-danger doc-failure" }, data.failure || ""));
      const technical = el("details", { class: "doc-error" });
      technical.append(el("summary", {}, text.detailsLabel), el("code", {}, data.error || ""));
      details.append(technical);
      const form = el("form", { method: "post", action: data.retry, class: "d-inline" });
      form.append(el("input", { type: "hidden", name: "csrf_token", value: document.querySelector('meta[name="csrf-token"]').content }));
      form.append(el("button", { class: "btn btn-sm btn-outline-danger", type: "submit" }, text.retryLabel));
      actions.append(form);
    }
  }

  function poll() {
    const pending = table.querySelectorAll('tr[data-status="queued"], tr[data-status="rendering"]');
    if (!pending.length) return;
    pending.forEach(async function (row) {
      try {
        const response = await fetch(row.dataset.statusUrl, { headers: { Accept: "application/json" } });
        if (response.ok) update(row, await response.json());
      } catch (e) { /* a network hiccup: try again on the next tick */ }
    });
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
