// As-you-type NOC 2021 lookup: fills the <datalist> from /roles/noc?q=... and shows the chosen
// unit group's title and TEER. Works without it too: the server validates the code.
(function () {
  const input = document.querySelector("[data-noc-lookup]");
  const list = document.getElementById("noc-options");
  const chosen = document.getElementById("noc-chosen");
  if (!input || !list || !chosen) return;
  const url = chosen.dataset.lookupUrl;
  let timer = null;
  let last = "";
  const known = new Map();

  function show(code) {
    const unit = known.get(code);
    if (unit) chosen.textContent = unit.code + " — " + unit.title + " (TEER " + unit.teer + ")";
  }

  async function lookup(q) {
    if (q === last) return;
    last = q;
    const response = await fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    list.replaceChildren();
    for (const unit of data.results) {
      known.set(unit.code, unit);
      const option = document.createElement("option");
      option.value = unit.code;
      option.label = (unit.from_2016 ? "NOC 2016 " + unit.from_2016 + " → " : "") + unit.title + " (TEER " + unit.teer + ")";
      option.textContent = option.label;
      list.appendChild(option);
    }
    show(input.value.trim());
  }

  input.addEventListener("input", function () {
    const q = input.value.trim();
    show(q);
    clearTimeout(timer);
    if (q.length >= 2) timer = setTimeout(function () { lookup(q); }, 150);
  });
})();
