// The transferee form's "Add a job" without a round trip: a copy of the last job row, emptied and
// renumbered (jobs-<n>-<field>), is added below the others. Without JavaScript the same button posts
// the form and the page comes back with one more row (portal/people/views.py), so nothing depends on
// this script.
(function () {
  "use strict";

  function renumber(row, index) {
    var from = /^jobs-\d+-/;
    var to = "jobs-" + index + "-";
    row.id = "job-" + index;
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && from.test(value)) {
          el.setAttribute(attr, value.replace(from, to));
        }
      });
    });
    var heading = row.querySelector("h3");
    if (heading) {
      heading.textContent = heading.textContent.replace(/\d+/, String(index + 1));
    }
  }

  function empty(row) {
    row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (/-remove$/.test(el.name)) {
        var holder = el.closest(".mb-3");
        (holder || el).remove();
      } else if (el.type === "checkbox") {
        el.checked = /-full_time$/.test(el.name); // a new job is full time until told otherwise
      } else if (el.tagName === "SELECT") {
        el.selectedIndex = 0;
      } else {
        el.value = "";
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='add_job']");
    if (!button) {
      return;
    }
    var rows = document.querySelectorAll("#jobs .job-row");
    var max = parseInt(button.getAttribute("data-max") || "0", 10);
    if (!rows.length || (max && rows.length >= max)) {
      return; // let the form post: the server answers with what it allows
    }
    event.preventDefault();
    var copy = rows[rows.length - 1].cloneNode(true);
    empty(copy);
    renumber(copy, rows.length);
    rows[rows.length - 1].after(copy);
    if (max && rows.length + 1 >= max) {
      button.hidden = true;
    }
    var first = copy.querySelector("select, input:not([type='hidden']), textarea");
    if (first) {
      first.focus();
    }
  });
})();
