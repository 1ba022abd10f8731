// "Zitieren": a selection in the report's sections goes into the comment as "> " lines
// (docs/reading.md). Without this script readers type such lines themselves.
// "Link zu dieser Stelle": the selection's address, on every page of a published report (and
// of a version): where comments are closed it is the one button, "Zitieren" needs the form.
(function () {
  "use strict";
  var form = document.querySelector("#kommentarformular form");
  var area = form && form.querySelector("textarea");
  var report = document.querySelector("article.report");
  if (!report) return;
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
  // "Link zu dieser Stelle": the section's address with a text fragment for the selection.
  var linkButton = document.createElement("button");
  linkButton.type = "button";
  linkButton.className = "quote-button passage-link-button";
  linkButton.lang = "de";
  linkButton.hidden = true;
  linkButton.textContent = "Link zu dieser Stelle";
  // The button placed at the selection: "Zitieren", or without a form the link's.
  var primary = area ? button : linkButton;
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
  function ours(node) { return node === button || node === linkButton; }
  // As reports/passages.py: a term encodes all but letters, digits and "_.~" ("-", "," and "&"
  // are the directive's syntax); up to 10 words whole, else the first and last four.
  function term(words) {
    return encodeURIComponent(words.join(" ")).replace(/[!'()*-]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }
  function passageUrl(section, text) {
    var heading = section && section.querySelector(":scope > h2, :scope > h3");
    var words = text.split(/\s+/).filter(Boolean);
    if (!heading || !words.length) return "";
    var directive = words.length <= 10 ? term(words) : term(words.slice(0, 4)) + "," + term(words.slice(-4));
    return location.origin + location.pathname + "#" + heading.id + ":~:text=" + directive;
  }
  function hide() { pending = null; button.hidden = linkButton.hidden = true; }
  function lineHeight(element) { return parseFloat(getComputedStyle(element).lineHeight) || 24; }
  // The bottom of the line after `last` (a line box of `block`): in the block, or the first
  // line of the element after it.
  function nextLineBottom(last, block) {
    var height = lineHeight(block);
    if (last.bottom + height <= block.getBoundingClientRect().bottom + 1) return last.bottom + height;
    var next = block.nextElementSibling;
    while (next === button || next === linkButton) next = next.nextElementSibling;
    return next ? next.getBoundingClientRect().top + lineHeight(next) : last.bottom;
  }
  // The button never covers what is quoted nor the line after it: above the first line, where
  // the window has room; on touch screens (whose own menu sits above a selection) and at the
  // window's top edge, below the line that follows.
  function show(label, text, section, block, top, last, link) {
    if (!text || !area && !link) return hide();
    pending = { text: text, section: section, link: link };
    if (area) button.textContent = label;
    if (primary.previousElementSibling !== block) block.after(primary);
    if (primary.hidden && keyboard) say("„" + primary.textContent + "“ folgt mit der Tabulatortaste.");
    primary.hidden = false;
    var box = report.getBoundingClientRect(), width = primary.offsetWidth, gap = 6;
    var above = !touch && top.top - primary.offsetHeight - gap >= 0;
    var x = above ? top.left - box.left : last.right - box.left - width;
    x = Math.max(Math.min(x, report.clientWidth - width), block.getBoundingClientRect().left - box.left, 0);
    var y = above ? top.top - primary.offsetHeight - gap : nextLineBottom(last, block) + gap;
    primary.style.setProperty("--quote-x", Math.round(x) + "px");
    primary.style.setProperty("--quote-y", Math.round(y - box.top) + "px");
    if (primary === linkButton) return;
    linkButton.hidden = !link;
    if (!link) return;
    if (button.nextElementSibling !== linkButton) button.after(linkButton);
    // Beside "Zitieren"; where the line has no room, one button's height further away from
    // the selection (above it or below it, as "Zitieren" is).
    var linkX = x + width + 8, linkY = y - box.top;
    if (linkX + linkButton.offsetWidth > report.clientWidth) {
      linkX = Math.max(0, Math.min(x, report.clientWidth - linkButton.offsetWidth));
      linkY += (above ? -1 : 1) * (button.offsetHeight + gap);
    }
    linkButton.style.setProperty("--quote-x", Math.round(linkX) + "px");
    linkButton.style.setProperty("--quote-y", Math.round(linkY) + "px");
  }
  function showParagraph(node) {
    var p = el(node).closest("p, li, blockquote, pre, td, th, dd");
    var section = sectionOf(node);
    if (!p || !section || !section.contains(p) || p.matches(NOT_TEXT)) return hide();
    var rect = p.getBoundingClientRect();
    // Without the form, the paragraph's address (a keyboard has no other way to a passage).
    show("Absatz zitieren", quote(p.innerText), section, blockOf(p), rect, rect,
      area ? "" : passageUrl(section, p.innerText));
  }
  function update() {
    var focused = document.activeElement;
    if (ours(focused) || pressed || same(dismissed, where())) return;
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
      rects.length ? rects[0] : whole, rects.length ? rects[rects.length - 1] : whole,
      passageUrl(section, selection.toString()));
  }
  button.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  linkButton.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  linkButton.addEventListener("click", function () {
    var url = pending && pending.link;
    if (!url) return;
    if (!navigator.clipboard) { location.href = url; return; }
    navigator.clipboard.writeText(url).then(function () {
      say("Link zu dieser Stelle kopiert.");
    }, function () {
      location.href = url; // the address bar holds the link instead
    });
  });
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
    pressed = !ours(event.target);
  });
  // Loaded in the middle of a drag (the first selection fetches this script): no buttons
  // under the moving pointer until it is released.
  document.addEventListener("pointermove", function (event) {
    if (event.buttons & 1 && !pressed && !ours(event.target)) { pressed = true; hide(); }
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () { pressed = false; setTimeout(update, 0); });
  });
  document.addEventListener("keydown", function (event) {
    keyboard = true;
    var from = document.activeElement;
    if (button.hidden && linkButton.hidden) return;
    if (event.key === "Escape") {
      dismissed = where(); // until the selection changes
      hide();
    } else if (event.key === "Tab" && !event.shiftKey && from !== primary &&
        (from.contains(primary) || from.compareDocumentPosition(primary) & 4 && sectionOf(from))) {
      event.preventDefault(); // the browser may start Tab elsewhere than at the selection
      update(); // the selection's last change may not have reached us yet
      primary.focus();
    }
  });
  document.addEventListener("selectionchange", update);
  document.addEventListener("focusin", function (event) { if (!ours(event.target)) update(); });
  addEventListener("resize", hide);
  // Loaded on demand by report.js, after the selection or key press that asked for it.
  keyboard = document.activeElement !== document.body;
  update();
})();
