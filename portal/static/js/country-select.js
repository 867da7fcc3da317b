// Searchable country lists: every <select multiple data-country-select> (rendered by the
// countries_select macro of templates/macros/forms.html) becomes a Tom Select box (vendored under
// static/vendor/tom-select/): type a few letters of a country's name, press Enter or click, and the
// country shows as a tag with a remove button. The <select> stays in the form and is what is sent,
// so without JavaScript (or if this script fails) the plain multiple list works as before.
// An explicit "None" option (value NONE, on the case page's questions) and countries exclude each
// other: choosing one removes the other.
(function () {
  if (typeof window.TomSelect !== "function") return;
  document.querySelectorAll("select[data-country-select]").forEach(function (select) {
    const data = select.dataset;
    const control = new window.TomSelect(select, {
      plugins: { remove_button: { title: data.remove || "Remove" } },
      maxOptions: null,
      // The list is on the page: filter at each key, so Enter right after typing picks a match of
      // what was typed, not of the letters before it (Tom Select waits 300 ms by default).
      refreshThrottle: 0,
      hidePlaceholder: true,
      placeholder: data.placeholder || "",
      closeAfterSelect: true,
      render: {
        no_results: function (_data, escape) {
          return '<div class="no-results">' + escape(data.noResults || "") + "</div>";
        },
      },
      onItemAdd: function (value) {
        if (value === "NONE") {
          this.items.slice().forEach((v) => { if (v !== "NONE") this.removeItem(v, true); });
        } else if (this.items.includes("NONE")) {
          this.removeItem("NONE", true);
        }
      },
    });
    // The help text under the box: how to use the searchable box, instead of the Ctrl-click hint.
    const help = data.jsHelp && document.getElementById(select.id + "-help");
    if (help) help.textContent = data.jsHelp;
    if (select.classList.contains("is-invalid")) control.wrapper.classList.add("is-invalid");
  });
})();
