// The moderation queue (rostra/discussion/admin_queue.py): keyboard shortcuts over
// the rows' buttons, and Undo offered for a few seconds after each action (as long as
// the discussion settings say: the server sends it with the button).
// j/k move between comments, a approve (or "not spam"), r remove, s spam, u undo,
// ? opens the help. No inline script: the admin's CSP is kept as it is.
(function () {
  "use strict";
  var DEFAULT_UNDO_SECONDS = 8;
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll("table[data-moderation-queue] tbody tr")
    );
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("queue-current", i === current);
      if (i === current) {
        row.setAttribute("tabindex", "-1");
        row.focus({ preventScroll: true });
        row.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function press(key) {
    var row = rows()[current];
    var button = row && row.querySelector('[data-queue-key="' + key + '"]');
    if (button) {
      row.dataset.queueByKeyboard = "1";
      button.click();
    }
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (!document.querySelector("table[data-moderation-queue]")) return;
    var key = event.key;
    if (key === "j") select(current + 1);
    else if (key === "k") select(current - 1);
    else if (key === "a" || key === "r" || key === "s" || key === "u") press(key);
    else if (key === "?") {
      var help = document.getElementById("queue-help");
      if (help) help.open = !help.open;
    } else return;
    event.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var done = event.detail.target;
    var swapped = document.getElementById(done.id) || done;
    var row = swapped.closest && swapped.closest("tr");
    if (!swapped.hasAttribute || !swapped.hasAttribute("data-queue-done")) return;
    if (row) row.classList.add("queue-decided");
    var undo = swapped.querySelector("[data-queue-undo]");
    var seconds = Number(undo && undo.dataset.undoSeconds) || DEFAULT_UNDO_SECONDS;
    window.setTimeout(function () {
      if (undo && undo.isConnected) undo.remove();
    }, seconds * 1000);
    if (row && row.dataset.queueByKeyboard) {
      delete row.dataset.queueByKeyboard;
      var index = rows().indexOf(row);
      if (index === current) select(current + 1);
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = document.getElementById(event.detail.target.id);
    if (swapped && !swapped.hasAttribute("data-queue-done")) {
      var row = swapped.closest("tr");
      if (row) row.classList.remove("queue-decided");
    }
  });

  // Wagtail replaces the results when filters change: let htmx see the new rows.
  document.addEventListener("w-swap:success", function () {
    current = -1;
    var table = document.querySelector("table[data-moderation-queue]");
    if (table && window.htmx) window.htmx.process(table);
  });
})();
