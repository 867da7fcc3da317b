// A form refused by the server comes back with its fields in error marked (.is-invalid), but the page
// opened at its top with the focus in its first field: on a long form the error was below the fold (the
// transferee's English level, a job of the employment history, an answer among a case's questions) and
// the save seemed to do nothing (tour, 1280 and 390 px). The focus goes to the first field in error,
// centred in the window, so its label and its message are what one sees (and what a screen reader
// reads). Runs after country-select.js: a country box in error is focused through its typing box.
(function () {
  const invalid = document.querySelector("main .is-invalid");
  if (!invalid) return;
  let target = invalid;
  if (invalid.classList.contains("tomselected")) {
    target = document.getElementById(invalid.id + "-ts-control") || invalid;
  } else if (!invalid.matches("input, select, textarea")) {
    target = invalid.querySelector("input, select, textarea") || invalid;  // a group of boxes
  }
  for (let box = target.closest("details"); box; box = box.parentElement.closest("details")) box.open = true;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center", behavior: "instant" });  // not Bootstrap's smooth scroll: a page just shown
})();
