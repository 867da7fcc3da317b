// A "Copy" button beside a text shown once (the new private calendar link): a click puts the text on
// the clipboard and says so in the button's live note. Without JavaScript (or a clipboard) the button
// stays hidden and the text is selected by hand, as before.
(function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const source = document.getElementById(button.dataset.copy);
    const note = document.getElementById(button.dataset.copy + "-copied");
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { if (note) note.textContent = button.dataset.done || ""; },
        function () { if (note) note.textContent = button.dataset.failed || ""; }
      );
    });
  });
})();
