// Inline feedback: highlight passages readers commented on, show editors' questions,
// and let a reader comment on a passage they select. Without this file the article is
// plain and passage comments still show in the thread with their quotes.
//
// Offsets are counted in a block's "plain text": its text nodes with every run of
// whitespace made one space, exactly as the server computes it (anchoring.py).
(function () {
  "use strict";

  var body = document.querySelector(".article__body");
  var section = function () { return document.getElementById("comments"); };
  if (!body) return;
  body.setAttribute("data-inline-feedback", "on");
  var UI = "data-inline-ui";
  var BUBBLE = '<svg viewBox="0 0 16 16" width="12" height="12" fill="currentColor"><path d="M2 2h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7l-3.5 3v-3H2a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z"/></svg>';

  // Plain text of a block, with the DOM position of every character -----------------

  function indexBlock(block) {
    var chars = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("[" + UI + "]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var afterSpace = true;
    var node;
    while ((node = walker.nextNode())) {
      var data = node.data;
      for (var i = 0; i < data.length; i++) {
        if (/\s/.test(data[i])) {
          if (!afterSpace) chars.push({ c: " ", node: node, offset: i });
          afterSpace = true;
        } else {
          chars.push({ c: data[i], node: node, offset: i });
          afterSpace = false;
        }
      }
    }
    if (chars.length && chars[chars.length - 1].c === " ") chars.pop();
    return { text: chars.map(function (x) { return x.c; }).join(""), chars: chars };
  }

  function follows(a, b) {
    return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  }

  function offsetOf(index, container, offset) {
    // The plain-text offset of a DOM boundary point inside the block: the first
    // character at or after it.
    var chars = index.chars;
    var i, node;
    if (container.nodeType === Node.TEXT_NODE) {
      for (i = 0; i < chars.length; i++) {
        node = chars[i].node;
        if (node === container ? chars[i].offset >= offset : follows(container, node)) return i;
      }
      return chars.length;
    }
    var ref = container.childNodes[offset] || null;
    for (i = 0; i < chars.length; i++) {
      node = chars[i].node;
      if (ref) {
        if (ref === node || ref.contains(node) || follows(ref, node)) return i;
      } else if (!container.contains(node) && follows(container, node)) {
        return i;
      }
    }
    return chars.length;
  }

  // Highlights --------------------------------------------------------------------------

  function wrap(index, start, end, className) {
    // Wrap characters start..end in <mark>s, one per text node crossed.
    var marks = [];
    var i = start;
    while (i < end) {
      var node = index.chars[i].node;
      var from = index.chars[i].offset;
      var j = i;
      while (j + 1 < end && index.chars[j + 1].node === node) j++;
      var to = index.chars[j].offset + 1;
      var target = node;
      if (from > 0) target = target.splitText(from);
      if (to - from < target.data.length) target.splitText(to - from);
      var mark = document.createElement("mark");
      mark.className = className;
      target.parentNode.insertBefore(mark, target);
      mark.appendChild(target);
      marks.push(mark);
      i = j + 1;
      // The split moved the remaining characters of this node into a new node.
      for (var k = i; k < end && index.chars[k].node === node; k++) {
        index.chars[k] = { c: index.chars[k].c, node: mark.nextSibling, offset: index.chars[k].offset - to };
      }
    }
    return marks;
  }

  function badge(count, label, onOpen) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "passage__badge";
    button.setAttribute(UI, "");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", label);
    button.innerHTML = '<span class="passage__icon" aria-hidden="true">' + BUBBLE + '</span><span class="passage__count"></span>';
    button.querySelector(".passage__count").textContent = String(count);
    button.addEventListener("click", function () { onOpen(button); });
    return button;
  }

  function clearHighlights() {
    body.querySelectorAll("[" + UI + "]").forEach(function (el) { el.remove(); });
    body.querySelectorAll("mark.passage").forEach(function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    });
  }

  function passages() {
    var data = document.getElementById("inline-passages");
    try { return data ? JSON.parse(data.textContent) : []; } catch (e) { return []; }
  }

  function passageUrl() {
    var s = section();
    return s ? s.getAttribute("data-passage-url") : null;
  }

  function openPanel(button, block, query) {
    var open = button.getAttribute("aria-expanded") === "true";
    body.querySelectorAll(".passage-panel").forEach(function (p) { p.remove(); });
    body.querySelectorAll(".passage__badge[aria-expanded=true]").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
    });
    if (open) return;
    var panel = document.createElement("div");
    panel.className = "passage-panel";
    panel.setAttribute(UI, "");
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", button.getAttribute("aria-label"));
    var loading = document.createElement("p");
    loading.className = "passage-panel__loading";
    loading.textContent = gettext("Loading…");
    panel.appendChild(loading);
    block.insertAdjacentElement("afterend", panel);
    button.setAttribute("aria-expanded", "true");
    fetch(passageUrl() + "?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { panel.innerHTML = html; })
      .catch(function () {
        var failed = document.createElement("p");
        failed.textContent = gettext("The comments could not be loaded.");
        panel.replaceChildren(failed);
      });
  }

  function highlight() {
    clearHighlights();
    var byBlock = {};
    passages().forEach(function (p) {
      if (!p.question) (byBlock[p.block] = byBlock[p.block] || []).push(p);
    });
    var counts = {};
    passages().forEach(function (p) { if (p.question) counts[p.question] = p.count; });

    body.querySelectorAll(".block[data-block-id]").forEach(function (block) {
      var list = (byBlock[block.getAttribute("data-block-id")] || []).sort(function (a, b) {
        return b.start - a.start; // from the end, so earlier offsets stay valid
      });
      list.forEach(function (p) {
        var index = indexBlock(block);
        if (index.text.slice(p.start, p.end) !== p.exact) return;
        var marks = wrap(index, p.start, p.end, "passage");
        if (!marks.length) return;
        var query = "block=" + encodeURIComponent(p.block) + "&start=" + p.start + "&end=" + p.end;
        var label = interpolate(ngettext("%s comment on this passage", "%s comments on this passage", p.count), [p.count]);
        var button = badge(p.count, label, function (b) { openPanel(b, block, query); });
        marks[marks.length - 1].insertAdjacentElement("afterend", button);
        marks.forEach(function (m) { m.addEventListener("click", function () { button.click(); }); });
      });
    });

    body.querySelectorAll("[data-question-id]").forEach(function (span) {
      var id = span.getAttribute("data-question-id");
      var block = span.closest(".block");
      var count = counts[id] || 0;
      span.classList.add("passage", "passage--question");
      // Translators: a question editors ask readers about a passage, and its answers.
      var label = interpolate(
        ngettext("%(question)s (%(count)s answer)", "%(question)s (%(count)s answers)", count),
        { question: span.getAttribute("data-question") || gettext("Question"), count: count },
        true
      );
      var button = badge(count, label, function (b) {
        openPanel(b, block, "question=" + encodeURIComponent(id));
      });
      button.classList.add("passage__badge--question");
      button.querySelector(".passage__icon").textContent = "?";
      span.insertAdjacentElement("afterend", button);
    });
  }

  // Selecting a passage ------------------------------------------------------------------

  var action = document.createElement("button");
  action.type = "button";
  action.className = "passage-action";
  action.textContent = gettext("Comment on this passage");
  action.hidden = true;
  action.setAttribute(UI, "");
  var pending = null;

  function selectionInBlock() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var startBlock = (range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement).closest(".block[data-block-id]");
    var endBlock = (range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement).closest(".block[data-block-id]");
    if (!startBlock || startBlock !== endBlock || !body.contains(startBlock)) return null;
    var index = indexBlock(startBlock);
    var start = offsetOf(index, range.startContainer, range.startOffset);
    var end = offsetOf(index, range.endContainer, range.endOffset);
    while (start < end && index.text[start] === " ") start++;
    while (end > start && index.text[end - 1] === " ") end--;
    if (end - start < 3) return null;
    return { block: startBlock.getAttribute("data-block-id"), start: start, end: end,
             exact: index.text.slice(start, end), rect: range.getBoundingClientRect() };
  }

  function showAction() {
    pending = selectionInBlock();
    if (!pending) { action.hidden = true; return; }
    // Right after the block in document order, so Tab from a keyboard selection
    // reaches the button next; drawn under the selection.
    var block = body.querySelector('.block[data-block-id="' + CSS.escape(pending.block) + '"]');
    if (block && action.previousElementSibling !== block) block.insertAdjacentElement("afterend", action);
    action.hidden = false;
    var parent = action.offsetParent || document.body;
    var frame = parent.getBoundingClientRect();
    var top = pending.rect.bottom - frame.top + 8;
    var left = pending.rect.left - frame.left + pending.rect.width / 2 - action.offsetWidth / 2;
    action.style.top = top + "px";
    action.style.left = Math.max(0, Math.min(left, parent.clientWidth - action.offsetWidth)) + "px";
  }

  var timer = null;
  document.addEventListener("selectionchange", function () {
    if (document.activeElement === action) return; // moving to the button keeps it
    clearTimeout(timer);
    timer = setTimeout(showAction, 150);
  });
  action.addEventListener("mousedown", function (e) { e.preventDefault(); });
  // With a passage selected, the next Tab goes to its button, wherever the focus was.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || action.hidden || !pending) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.closest("form, [contenteditable]")) return;
    event.preventDefault();
    action.focus();
  });
  action.addEventListener("click", function () {
    if (!pending) return;
    var form = document.getElementById("composer");
    if (!form) return;
    var box = form.querySelector("[data-passage-box]");
    form.querySelector("[name=anchor_block]").value = pending.block;
    form.querySelector("[name=anchor_start]").value = pending.start;
    form.querySelector("[name=anchor_end]").value = pending.end;
    form.querySelector("[name=anchor_exact]").value = pending.exact;
    form.querySelector("[data-passage-quote]").textContent = pending.exact;
    box.hidden = false;
    action.hidden = true;
    window.getSelection().removeAllRanges();
    form.scrollIntoView({ behavior: "smooth", block: "center" });
    form.querySelector("textarea").focus({ preventScroll: true });
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-passage-remove]");
    if (!remove) return;
    var box = remove.closest("[data-passage-box]");
    box.querySelectorAll("input[type=hidden]").forEach(function (input) { input.value = ""; });
    box.querySelector("[data-passage-quote]").textContent = "";
    box.hidden = true;
  });

  highlight();
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "comments") highlight();
  });
})();
