// Comment section enhancements. Everything works without this file; it adds inline
// reply forms and keeps focus where the reader is after htmx swaps.
(function () {
  "use strict";

  function composerTemplate() {
    return document.getElementById("composer");
  }

  function openReply(link) {
    var id = link.getAttribute("data-reply");
    var comment = document.getElementById("comment-" + id);
    var template = composerTemplate();
    if (!comment || !template) return false;
    var existing = document.getElementById("reply-" + id);
    if (existing) {
      existing.querySelector("textarea").focus();
      return true;
    }
    var author = comment.querySelector(".comment__author");
    var name = author ? author.textContent.trim() : "";
    var holder = document.createElement("div");
    holder.className = "comment__reply";
    holder.id = "reply-" + id;
    var form = template.cloneNode(true);
    form.id = "reply-form-" + id;
    form.classList.add("composer--reply");
    form.setAttribute("aria-label", interpolate(gettext("Reply to %(name)s"), { name: name }, true));
    form.querySelectorAll("[id]").forEach(function (el) {
      el.id = el.id.replace(/^composer/, form.id);
    });
    form.querySelectorAll("label[for]").forEach(function (el) {
      el.htmlFor = el.htmlFor.replace(/^composer/, form.id);
    });
    form.querySelectorAll(".composer__error").forEach(function (el) { el.remove(); });
    // A reply answers the comment, not a passage of the article.
    form.querySelectorAll("[data-passage-box]").forEach(function (el) { el.remove(); });
    var body = form.querySelector("textarea");
    body.value = "";
    body.rows = 3;
    body.placeholder = interpolate(gettext("Reply to %(name)s…"), { name: name }, true);
    form.querySelector(".composer__label").textContent = interpolate(gettext("Your reply to %(name)s"), { name: name }, true);
    var parent = document.createElement("input");
    parent.type = "hidden";
    parent.name = "parent";
    parent.value = id;
    form.appendChild(parent);
    form.querySelector("button[type=submit]").textContent = gettext("Post reply");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "composer__cancel button--link";
    cancel.textContent = gettext("Cancel");
    cancel.addEventListener("click", function () {
      holder.remove();
      link.focus();
    });
    form.querySelector(".composer__actions").appendChild(cancel);
    holder.appendChild(form);
    comment.querySelector(".comment__card").appendChild(holder);
    if (window.htmx) window.htmx.process(holder);
    body.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply]");
    if (link && openReply(link)) event.preventDefault();
  });

  // Share: copy the comment's permalink. Without JavaScript (or the Clipboard API,
  // which needs a secure page) the link is simply followed.
  function announce(text) {
    var region = document.querySelector("[data-announce]");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("click", function (event) {
    var share = event.target.closest("[data-share]");
    if (!share || !navigator.clipboard || !window.isSecureContext) return;
    event.preventDefault();
    var url = new URL(share.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(
      function () {
        var label = share.textContent;
        share.textContent = gettext("Link copied");
        announce(gettext("Link copied"));
        window.setTimeout(function () { share.textContent = label; }, 3000);
      },
      function () { window.location.href = url; }
    );
  });

  function focusHighlighted(root) {
    var target = (root || document).querySelector(".comment--highlight");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  }

  // A form marked data-swap-refusals answers a refusal (4xx) with itself, the reason
  // beside the control: swap it in like any answer (htmx leaves 4xx out by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (status >= 400 && status < 500 && elt && elt.closest("[data-swap-refusals]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // ... and its answer (or reason) comes into view, below the control the reader used.
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = elt && elt.matches("[data-swap-refusals]") && document.getElementById(elt.id);
    var told = form && form.querySelector("[role=status], [role=alert]");
    if (told) told.scrollIntoView({ block: "nearest" });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "comments") {
      var section = document.getElementById("comments");
      var refusal = section.querySelector(".composer__error[role=alert]");
      if (refusal) {
        // Refused: the reason is in the form the reader sent, beside their text.
        refusal.scrollIntoView({ block: "center" });
        var field = refusal.closest("form") && refusal.closest("form").querySelector("textarea");
        if (field) field.focus({ preventScroll: true });
      } else if (section.querySelector(".comment--highlight")) {
        focusHighlighted(section);
      }
    }
  });
})();
