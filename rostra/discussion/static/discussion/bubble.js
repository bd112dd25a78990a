// The comment bubble (discussion/bubble.html). Without this file it is a plain link to
// the comments. Here it follows new comments from the live stream ("2 new"), invites
// the reader once they have read a while (closing the invitation is remembered in this
// browser), and takes them into the comment form.
(function () {
  "use strict";
  var CLOSED_KEY = "rostra.bubble.closed";
  // The invitation shows once the reader has scrolled this share of the page, or after
  // this long on it, whichever comes first.
  var READ_DEPTH = 0.35;
  var READ_MILLISECONDS = 25000;
  var fresh = 0;
  var invited = false;
  var timer = null;

  function bubble() {
    return document.querySelector("[data-bubble]");
  }

  function closed() {
    try {
      return window.localStorage.getItem(CLOSED_KEY) === "1";
    } catch (error) {
      return false; // storage refused (private mode): the reader closes it per page
    }
  }

  function invite() {
    var box = bubble();
    var invitation = box && box.querySelector("[data-bubble-invite]");
    invited = true;
    window.removeEventListener("scroll", onScroll);
    if (invitation && !closed()) invitation.hidden = false;
  }

  function onScroll() {
    var page = document.documentElement;
    var travel = page.scrollHeight - window.innerHeight;
    if (travel > 0 && window.scrollY / travel >= READ_DEPTH) invite();
  }

  function showFresh(box) {
    var count = parseInt(box.getAttribute("data-count") || "0", 10) + fresh;
    box.querySelector("[data-bubble-count]").textContent = count;
    // Translators: new comments since the page was opened, in the small comment bubble.
    var label = interpolate(ngettext("%s new", "%s new", fresh), [fresh]);
    var badge = box.querySelector("[data-bubble-new]");
    badge.textContent = label;
    badge.hidden = false;
    box.classList.add("bubble--fresh");
    box.querySelector("[data-bubble-status]").textContent =
      interpolate(
        ngettext("%(fresh)s new comment, %(count)s in all", "%(fresh)s new comments, %(count)s in all", fresh),
        { fresh: fresh, count: count },
        true
      );
  }

  function goToComposer(event) {
    var body = document.getElementById("composer-body");
    if (!body) return; // comments closed or sign-in needed: the link goes to #comments
    event.preventDefault();
    var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    body.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
    body.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var go = event.target.closest("[data-bubble-go]");
    if (go) return goToComposer(event);
    var close = event.target.closest("[data-bubble-close]");
    if (!close) return;
    try {
      window.localStorage.setItem(CLOSED_KEY, "1");
    } catch (error) { /* not remembered: closed on this page only */ }
    close.closest("[data-bubble-invite]").hidden = true;
    var button = bubble().querySelector(".bubble__button");
    if (button) button.focus();
  });

  // live.js tells of comments posted since the page was read.
  document.addEventListener("rostra:new-comments", function (event) {
    var box = bubble();
    fresh = event.detail.count;
    if (box) showFresh(box);
  });

  // The section (with the bubble) is swapped whole by htmx: it then shows the new
  // count, and the invitation stays as the reader left it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "comments") return;
    fresh = 0;
    if (invited) invite();
  });

  function start() {
    if (!bubble()) return;
    window.addEventListener("scroll", onScroll, { passive: true });
    timer = window.setTimeout(invite, READ_MILLISECONDS);
    onScroll();
  }

  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("pagehide", function () {
    if (timer) window.clearTimeout(timer);
  });
})();
