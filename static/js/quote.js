// "Zitieren": text selected in a section goes into the comment as "> " lines, and the form's
// #id_section gets that section if it offers it. The button follows the paragraph in the page,
// so Tab reaches it next; by keyboard (caret browsing, or a link in the paragraph focused) it
// offers "Absatz zitieren". docs/reading.md. Without this script readers type "> " lines.
(function () {
  "use strict";
  var form = document.querySelector("#kommentarformular form");
  var area = form && form.querySelector("textarea");
  var report = document.querySelector("article.report");
  if (!area || !report) return;
  var SECTIONS = "section.report-section, section.report-subsection";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "quote-button";
  button.lang = "de";
  button.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var pending = null, keyboard = false, pressed = false, dismissed = null;

  function element(node) { return node.nodeType === 1 ? node : node.parentElement; }
  function sectionOf(node) { return node && report.contains(node) ? element(node).closest(SECTIONS) : null; }
  function blockOf(node) { // the child of its section that holds the node
    var el = element(node);
    if (el.matches(SECTIONS)) return el.lastElementChild;
    while (!el.parentElement.matches(SECTIONS)) el = el.parentElement;
    return el;
  }
  function quoteLines(text) { // "> " before each line, spaces collapsed, no empty runs
    var out = [];
    text.split("\n").forEach(function (line) {
      line = line.replace(/\s+/g, " ").trim();
      if (line || (out.length && out[out.length - 1] !== ">")) out.push(line ? "> " + line : ">");
    });
    while (out[out.length - 1] === ">") out.pop();
    return out.join("\n");
  }
  function where() {
    var s = window.getSelection();
    return [s.anchorNode, s.anchorOffset, s.focusNode, s.focusOffset, document.activeElement];
  }
  function say(message) { status.textContent = message; }
  function hide() { pending = null; button.hidden = true; }
  function show(label, text, section, block, rect) {
    if (!text) return hide();
    pending = { text: text, section: section };
    button.textContent = label;
    if (button.previousElementSibling !== block) block.after(button);
    if (button.hidden && keyboard) say("„" + label + "“ folgt mit der Tabulatortaste.");
    button.hidden = false;
    var box = report.getBoundingClientRect();
    var width = button.offsetWidth; // under the selection's end, inside the text column
    var x = Math.min(rect.right - box.left - width, report.clientWidth - width);
    x = Math.max(x, block.getBoundingClientRect().left - box.left, 0);
    button.style.setProperty("--quote-x", Math.round(x) + "px");
    button.style.setProperty("--quote-y", Math.round(rect.bottom - box.top + 6) + "px");
  }
  function showParagraph(node) { // the keyboard's command: the whole paragraph
    var p = element(node).closest("p, li, blockquote, pre, td, th, dd");
    var section = sectionOf(node);
    if (!p || !section || !section.contains(p)) return hide();
    show("Absatz zitieren", quoteLines(p.innerText), section, blockOf(p), p.getBoundingClientRect());
  }
  function update() {
    if (document.activeElement === button || pressed) return;
    var now = where(); // after Escape, not again for the same selection
    if (dismissed && dismissed.every(function (x, i) { return x === now[i]; })) return;
    dismissed = null;
    var selection = window.getSelection();
    var range = selection.rangeCount && selection.getRangeAt(0);
    var focused = document.activeElement;
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
    show("Zitieren", quoteLines(selection.toString()), section,
      block, rects.length ? rects[rects.length - 1] : block.getBoundingClientRect());
  }
  button.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  button.addEventListener("click", function () {
    if (!pending) return;
    var typed = area.value.replace(/\s+$/, "");
    area.value = (typed ? typed + "\n\n" : "") + pending.text + "\n\n";
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
    pressed = event.target !== button;
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () { pressed = false; setTimeout(update, 0); });
  });
  document.addEventListener("keydown", function (event) {
    keyboard = true;
    if (event.key === "Escape" && !button.hidden) {
      dismissed = where();
      hide();
    }
    // Tab from the selection or caret goes to the button first (the browser may not start there).
    var from = document.activeElement;
    if (event.key === "Tab" && !event.shiftKey && !button.hidden && from !== button &&
        (from.contains(button) || from.compareDocumentPosition(button) & 4 && sectionOf(from))) {
      event.preventDefault();
      button.focus();
    }
  });
  document.addEventListener("selectionchange", update);
  document.addEventListener("focusin", function (event) { if (event.target !== button) update(); });
  window.addEventListener("resize", hide);
})();
