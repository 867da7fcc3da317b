// As-you-type NOC 2021 lookup: fills the <datalist> from /roles/noc?q=... with the unit groups
// whose example job titles (Statistics Canada, English and French) match what is typed, and shows
// the chosen unit group's title, TEER and a one-line description. Works without it too: the
// server validates the code and names the closest unit groups for a typed job title.
(function () {
  const input = document.querySelector("[data-noc-lookup]");
  const list = document.getElementById("noc-options");
  const chosen = document.getElementById("noc-chosen");
  if (!input || !list || !chosen) return;
  const url = chosen.dataset.lookupUrl;
  const teer = chosen.dataset.teer || "TEER";
  const noc2016 = chosen.dataset.oldNoc || "NOC 2016";  // "CNP 2016" on a page in French (tour)
  let timer = null;
  let last = "";
  const known = new Map();

  function show(code) {
    const unit = known.get(code);
    if (!unit) return;
    chosen.replaceChildren();
    chosen.append(unit.code + " — " + unit.title + " (" + teer + " " + unit.teer + ")");
    if (unit.summary) {
      const line = document.createElement("div");
      line.className = "noc-summary";
      line.textContent = unit.summary;
      chosen.appendChild(line);
    }
  }

  async function lookup(q) {
    if (q === last) return;
    last = q;
    const response = await fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
    if (!response.ok || q !== last) return;
    const data = await response.json();
    // a later lookup was asked meanwhile: this answer is of a word no longer in the box, and arriving late
    // (a cold or busy server) it replaced the list of the whole title
    if (q !== last) return;
    list.replaceChildren();
    for (const unit of data.results) {
      known.set(unit.code, unit);
      const option = document.createElement("option");
      option.value = unit.code;
      option.label =
        (unit.from_2016 ? noc2016 + " " + unit.from_2016 + " → " : "") +
        unit.title + " (" + teer + " " + unit.teer + ")" +
        (unit.matched ? " · " + unit.matched : "");
      // a browser shows only the options whose text holds what is typed: keep it in the label
      if (option.label.toLowerCase().indexOf(q.toLowerCase()) < 0) option.label += " ← " + q;
      option.textContent = option.label;
      list.appendChild(option);
    }
    show(input.value.trim());
  }

  function typed() {
    const q = input.value.trim();
    show(q);
    clearTimeout(timer);
    if (q.length >= 2 && !known.has(q)) timer = setTimeout(function () { lookup(q); }, 150);
  }

  input.addEventListener("input", typed);
  // a code already in the box when this script starts (typed while the page loaded, restored by the
  // browser on Back, or the role being edited) is looked up too: its line was left empty
  typed();
})();
