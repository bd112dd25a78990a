// Live updates of the comment section: a "N new comments" bubble and fresh scores.
// Server-Sent Events, resuming after the last event seen; polling where EventSource
// is missing. Without JavaScript the section simply shows what was there at load.
(function () {
  "use strict";
  var source = null;
  var pollTimer = null;

  function start() {
    stop();
    var box = document.querySelector("[data-live]");
    if (!box) return;
    var article = box.getAttribute("data-article");
    var since = parseInt(box.getAttribute("data-since") || "0", 10);
    var fresh = 0;
    var bubble = box.querySelector(".live__bubble");

    function onEvent(kind, id, data) {
      since = Math.max(since, id);
      if (kind === "comment") {
        if (document.getElementById("comment-" + data.comment)) return;
        fresh += 1;
        bubble.textContent = interpolate(ngettext("%s new comment", "%s new comments", fresh), [fresh]);
        bubble.hidden = false;
        // The comment bubble (discussion/bubble.js) shows the new count too.
        document.dispatchEvent(new CustomEvent("rostra:new-comments", { detail: { count: fresh } }));
      } else if (kind === "vote") {
        var card = document.querySelector("#comment-" + data.comment + " > .comment__card");
        var score = card && card.querySelector(".vote__score");
        if (score) {
          score.textContent = data.score;
          score.setAttribute("aria-label", interpolate(gettext("Score %s"), [data.score]));
        }
      }
    }

    if (window.EventSource) {
      source = new EventSource("/live/articles/" + article + "/?since=" + since);
      ["comment", "vote"].forEach(function (kind) {
        source.addEventListener(kind, function (event) {
          onEvent(kind, parseInt(event.lastEventId, 10), JSON.parse(event.data));
        });
      });
    } else {
      pollTimer = setInterval(function () {
        fetch("/live/articles/" + article + "/poll/?since=" + since)
          .then(function (r) { return r.json(); })
          .then(function (body) {
            body.events.forEach(function (e) { onEvent(e.kind, e.id, e); });
          });
      }, 5000);
    }

    bubble.addEventListener("click", function () {
      var section = document.getElementById("comments");
      var url = "/comments/articles/" + section.getAttribute("data-article") + "/";
      if (window.htmx) {
        window.htmx.ajax("GET", url, { target: "#comments", swap: "outerHTML" });
      } else {
        window.location.hash = "comments";
        window.location.reload();
      }
    });
  }

  function stop() {
    if (source) { source.close(); source = null; }
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "comments") start();
  });
  window.addEventListener("pagehide", stop);
})();
