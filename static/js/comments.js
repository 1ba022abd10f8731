// Moves the comment form under the comment being answered, as WordPress does. Progressive
// enhancement: without this script the "Antworten" links reload the page with the form set
// to reply (?replytocom=ID), and "Antwort abbrechen" reloads it without.
(function () {
  "use strict";
  var respond = document.getElementById("kommentarformular");
  if (!respond) return;
  var form = respond.querySelector("form");
  var parentInput = form.querySelector("input[name='parent']");
  var title = respond.querySelector(".reply-title-text");
  var cancel = respond.querySelector(".cancel-reply");
  var textarea = form.querySelector("textarea");
  var defaultTitle = "Schreibe einen Kommentar";
  // "Bezieht sich auf": a reply is about its parent's section, so the select goes away.
  var sectionSelect = form.querySelector("select[name='section']");
  var sectionRow = sectionSelect && sectionSelect.closest(".comment-form-section");

  function showSectionSelect(shown) {
    if (!sectionSelect) return;
    sectionRow.hidden = !shown;
    sectionSelect.disabled = !shown;
  }
  if (parentInput.value) showSectionSelect(false);

  // Marks the form's home at the end of the discussion, to move it back on cancel.
  var home = document.createElement("span");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  // The "Antworten" link the form was opened from: "Antwort abbrechen" gives focus back to it.
  var openedFrom = null;

  function replyTo(link) {
    openedFrom = link;
    var body = link.closest(".comment-body");
    body.parentNode.insertBefore(respond, body.nextSibling);
    // The comment's <li id="c123"> and its author's name, as the page shows them.
    var comment = link.closest(".comment");
    parentInput.value = comment.id.slice(1);
    title.textContent = "Antworte auf den Kommentar von " +
      body.querySelector(".comment-author").textContent;
    cancel.hidden = false;
    showSectionSelect(false);
    textarea.focus();
  }

  // "Diskutieren" under a section heading: the form (back at its home if it was under a
  // comment) gets the section, and its text box the focus, without loading the page again.
  function discussSection(link) {
    if (!sectionSelect) return false;
    var anchor = new URLSearchParams(link.search).get("abschnitt");
    var known = Array.prototype.some.call(sectionSelect.options, function (o) { return o.value === anchor; });
    if (!known) return false;
    if (parentInput.value) cancelReply(true);
    sectionSelect.value = anchor;
    respond.scrollIntoView({ block: "start" });
    textarea.focus({ preventScroll: true });
    return true;
  }

  function cancelReply(quiet) {
    var backTo = openedFrom || document.querySelector(
      "#c" + CSS.escape(parentInput.value) + " > .comment-body > .comment-reply-link"
    );
    openedFrom = null;
    home.parentNode.insertBefore(respond, home.nextSibling);
    parentInput.value = "";
    title.textContent = defaultTitle;
    cancel.hidden = true;
    showSectionSelect(true);
    if (window.location.search.indexOf("replytocom=") !== -1) {
      window.history.replaceState(null, "", window.location.pathname);
    }
    if (!quiet) returnFocus(backTo);
  }

  // Back to where the reader was: the "Antworten" link (which stays where it is on screen
  // when the form leaves from under it); only without one, to the text field.
  function returnFocus(link) {
    if (link) link.focus(); else textarea.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    var discuss = event.target.closest(".section-talk a[href^='?abschnitt=']");
    if (link) {
      event.preventDefault();
      replyTo(link);
    } else if (discuss) {
      if (discussSection(discuss)) event.preventDefault();
    } else if (event.target.closest(".cancel-reply")) {
      event.preventDefault();
      cancelReply();
    }
  });

  // The page is the same for every reader, so the form asks for its signed timestamp when the
  // reader starts filling it in (the "too fast" spam rule counts from then).
  var timestampInput = form.querySelector("input[name='timestamp']");
  var timestampUrl = form.getAttribute("data-timestamp-url");
  function fetchTimestamp() {
    form.removeEventListener("focusin", fetchTimestamp);
    if (!timestampInput || timestampInput.value || !window.fetch) return;
    window.fetch(timestampUrl, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (stamp) { if (stamp && !timestampInput.value) timestampInput.value = stamp; })
      .catch(function () { /* the comment is then held for moderation, never lost */ });
  }
  form.addEventListener("focusin", fetchTimestamp);

  // A double click must not send the comment twice: the button is disabled while the form is on
  // its way, and enabled again if the reader comes back to the page (back button, cache).
  var submitButton = form.querySelector("button[type='submit']");
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "true");
    // After this event, so that the button's own click still submits the form.
    window.setTimeout(function () {
      submitButton.disabled = true;
      submitButton.setAttribute("aria-busy", "true");
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    form.removeAttribute("data-sending");
    submitButton.disabled = false;
    submitButton.removeAttribute("aria-busy");
  });
})();

// "3 Antworten anzeigen" under a comment of a long discussion (comments/paging.py): the replies
// come from the thread's own page and open in place, and the first of them takes the focus.
// Without this script, or when loading fails, the link opens that page.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-replies-folded a");
    if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var folded = link.parentNode;
    var comment = folded.closest(".comment");
    if (link.getAttribute("aria-busy")) return;
    link.setAttribute("aria-busy", "true");
    window.fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var replies = page.querySelector("#" + CSS.escape(comment.id) + " > .children");
        if (!replies) throw new Error("no replies");
        replies = document.importNode(replies, true);
        folded.parentNode.replaceChild(replies, folded);
        var first = replies.querySelector(".comment-body");
        first.tabIndex = -1;
        first.focus();
      })
      .catch(function () { window.location.href = link.href; });
  });
})();

// New comments without reloading: static/js/live.js asks the discussion's counter while the tab
// is visible. Loaded after the page and when the browser is idle, so it costs the first view
// nothing; without scripting the page stays as it is.
(function () {
  "use strict";
  var discussion = document.querySelector(".discussion[data-live-script]");
  if (!discussion || !window.fetch || !window.DOMParser || !("hidden" in document)) return;
  function load() {
    var script = document.createElement("script");
    script.src = discussion.getAttribute("data-live-script");
    document.head.appendChild(script);
  }
  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 5000 });
    else window.setTimeout(load, 2000);
  }
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle);
})();
