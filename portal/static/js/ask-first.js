// Ask before a form marked data-confirm="question" is sent: a dialog with the question, the
// form's own button label and Cancel. Yes adds confirmed=1 and sends the form; without
// JavaScript the server answers with a page that asks the same question (portal/confirm.py).
(function () {
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.querySelector('input[name="confirmed"]')) return;
    event.preventDefault();
    const dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog border rounded shadow p-4";
    const text = document.createElement("p");
    text.id = "confirm-dialog-question";
    text.textContent = form.dataset.confirm;
    // A screen reader names the dialog by its question, not just "dialog".
    dialog.setAttribute("aria-labelledby", text.id);
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "btn btn-danger me-2";
    yes.textContent = (event.submitter && event.submitter.textContent.trim()) || "OK";
    const no = document.createElement("button");
    no.type = "button";
    no.className = "btn btn-outline-secondary";
    no.textContent = form.dataset.cancel || "Cancel";
    dialog.append(text, yes, no);
    document.body.appendChild(dialog);
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    yes.addEventListener("click", function () {
      const flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "confirmed";
      flag.value = "1";
      form.appendChild(flag);
      dialog.close();
      form.submit();
    });
    dialog.showModal();
    // Focus on Cancel: Enter or Space pressed once more from the keyboard must not remove or revoke.
    no.focus();
  });
})();
