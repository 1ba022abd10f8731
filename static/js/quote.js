// "Zitieren": a selection in the report's sections goes into the comment as "> " lines
// (docs/reading.md). Without this script readers type such lines themselves.
(function () {
  "use strict";
  var form = document.querySelector("#kommentarformular form");
  var area = form && form.querySelector("textarea");
  var report = document.querySelector("article.report");
  if (!area || !report) return;
  var SECTIONS = "section.report-section, section.report-subsection";
  var NOT_TEXT = "h2, h3, .section-talk"; // headings and their "Diskutieren" line
  var button = document.createElement("button");
  button.type = "button";
  button.className = "quote-button";
  button.lang = "de";
  button.hidden = true;
  // The page's one live region: report.js's, if it made one (it runs first).
  var status = document.querySelector("body > p[role=status]");
  if (!status) {
    status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
  }
  var pending, keyboard, pressed, dismissed;
  // Loaded after the first selection: the last pointer is not known yet, the primary one is.
  var touch = matchMedia("(pointer: coarse)").matches;

  function el(node) { return node.nodeType === 1 ? node : node.parentElement; }
  function sectionOf(node) { return node && report.contains(node) ? el(node).closest(SECTIONS) : null; }
  function blockOf(node) { // the child of its section holding the node: the button goes after it
    var e = el(node);
    if (e.matches(SECTIONS)) return e.lastElementChild;
    while (!e.parentElement.matches(SECTIONS)) e = e.parentElement;
    return e;
  }
  function quote(text) {
    var out = [];
    text.split("\n").forEach(function (line) {
      line = line.replace(/\s+/g, " ").trim();
      if (line || (out.length && out[out.length - 1] !== ">")) out.push(line ? "> " + line : ">");
    });
    if (out[out.length - 1] === ">") out.pop();
    return out.join("\n");
  }
  function where() {
    var s = getSelection();
    return [s.anchorNode, s.anchorOffset, s.focusNode, s.focusOffset, document.activeElement];
  }
  function same(a, b) { return !!a && a.every(function (x, i) { return x === b[i]; }); }
  function say(message) { status.textContent = message; }
  function hide() { pending = null; button.hidden = true; }
  function lineHeight(element) { return parseFloat(getComputedStyle(element).lineHeight) || 24; }
  // The bottom of the line after `last` (a line box of `block`): in the block, or the first
  // line of the element after it.
  function nextLineBottom(last, block) {
    var height = lineHeight(block);
    if (last.bottom + height <= block.getBoundingClientRect().bottom + 1) return last.bottom + height;
    var next = block.nextElementSibling;
    if (next === button) next = next.nextElementSibling;
    return next ? next.getBoundingClientRect().top + lineHeight(next) : last.bottom;
  }
  // The button never covers what is quoted nor the line after it: above the first line, where
  // the window has room; on touch screens (whose own menu sits above a selection) and at the
  // window's top edge, below the line that follows.
  function show(label, text, section, block, first, last) {
    if (!text) return hide();
    pending = { text: text, section: section };
    button.textContent = label;
    if (button.previousElementSibling !== block) block.after(button);
    if (button.hidden && keyboard) say("„" + label + "“ folgt mit der Tabulatortaste.");
    button.hidden = false;
    var box = report.getBoundingClientRect(), width = button.offsetWidth, gap = 6;
    var above = !touch && first.top - button.offsetHeight - gap >= 0;
    var x = above ? first.left - box.left : last.right - box.left - width;
    x = Math.max(Math.min(x, report.clientWidth - width), block.getBoundingClientRect().left - box.left, 0);
    var y = above ? first.top - button.offsetHeight - gap : nextLineBottom(last, block) + gap;
    button.style.setProperty("--quote-x", Math.round(x) + "px");
    button.style.setProperty("--quote-y", Math.round(y - box.top) + "px");
  }
  function showParagraph(node) {
    var p = el(node).closest("p, li, blockquote, pre, td, th, dd");
    var section = sectionOf(node);
    if (!p || !section || !section.contains(p) || p.matches(NOT_TEXT)) return hide();
    var rect = p.getBoundingClientRect();
    show("Absatz zitieren", quote(p.innerText), section, blockOf(p), rect, rect);
  }
  function update() {
    var focused = document.activeElement;
    if (focused === button || pressed || same(dismissed, where())) return;
    dismissed = null;
    var selection = getSelection();
    var range = selection.rangeCount && selection.getRangeAt(0);
    if (!range || !sectionOf(range.startContainer) || !sectionOf(range.endContainer)) {
      return keyboard && sectionOf(focused) ? showParagraph(focused) : hide();
    }
    if (selection.isCollapsed) {
      return keyboard ? showParagraph(sectionOf(focused) ? focused : range.startContainer) : hide();
    }
    var rects = [].filter.call(range.getClientRects(), function (r) { return r.width > 0; });
    var section = sectionOf(range.commonAncestorContainer);
    var end = range.endContainer;
    var tail = document.createRange(); // a triple click ends at the next section's start
    tail.selectNodeContents(sectionOf(end));
    tail.setEnd(end, range.endOffset);
    if (!tail.toString().trim()) {
      end = range.startContainer;
      section = section || sectionOf(end);
    }
    var block = blockOf(end);
    if (block.matches(NOT_TEXT)) return hide(); // a heading alone: "Diskutieren" is for that
    var whole = block.getBoundingClientRect();
    show("Zitieren", quote(selection.toString()), section, block,
      rects.length ? rects[0] : whole, rects.length ? rects[rects.length - 1] : whole);
  }
  button.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  button.addEventListener("click", function () {
    if (!pending) return;
    var typed = area.value.replace(/\s+$/, "");
    area.value = (typed ? typed + "\n\n" : "") + pending.text + "\n\n";
    // The form's "Bezieht sich auf", if it offers the innermost section holding the quote.
    var select = form.querySelector("select#id_section");
    var heading = pending.section && pending.section.querySelector(":scope > h2, :scope > h3");
    var anchor = heading && heading.id.replace(/^s-/, "");
    if (select && anchor && [].some.call(select.options, function (o) { return o.value === anchor; })) {
      select.value = anchor;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    area.dispatchEvent(new Event("input", { bubbles: true }));
    hide();
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    area.scrollTop = area.scrollHeight;
    area.scrollIntoView({ block: "center" });
    say("Zitat in den Kommentar übernommen.");
  });
  document.addEventListener("pointerdown", function (event) {
    keyboard = false;
    touch = event.pointerType === "touch";
    pressed = event.target !== button;
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () { pressed = false; setTimeout(update, 0); });
  });
  document.addEventListener("keydown", function (event) {
    keyboard = true;
    var from = document.activeElement;
    if (button.hidden) return;
    if (event.key === "Escape") {
      dismissed = where(); // until the selection changes
      hide();
    } else if (event.key === "Tab" && !event.shiftKey && from !== button &&
        (from.contains(button) || from.compareDocumentPosition(button) & 4 && sectionOf(from))) {
      event.preventDefault(); // the browser may start Tab elsewhere than at the selection
      update(); // the selection's last change may not have reached us yet
      button.focus();
    }
  });
  document.addEventListener("selectionchange", update);
  document.addEventListener("focusin", function (event) { if (event.target !== button) update(); });
  addEventListener("resize", hide);
  // Loaded on demand by report.js, after the selection or key press that asked for it.
  keyboard = document.activeElement !== document.body;
  update();
})();
