// The moderation desk's conveniences, all optional: without this script every row action is a
// plain POST form and "Antworten" opens a page (comments/admin.py).
// - Row actions act in place: the change is sent with fetch, the list is fetched again and its
//   rows and counts are swapped in, so the scroll position stays.
// - "Antworten" opens a textarea under the row.
// - "Papierkorb" (and its shortcut d) opens the page that asks for the ground (DSA Art. 17);
//   the row's place is remembered (sessionStorage), and when the page leads back to the list,
//   the "Rückgängig" the server offers there (a form above the list) moves into that place.
// - WordPress's shortcuts: j/k move, a approve, u unapprove, s spam, d trash, r reply; never
//   while typing in a field.
// - After an action the row offers "Rückgängig" for a while (COMMENTS_UNDO_SECONDS, handed over
//   as data-undo-seconds), as WordPress does; the server undoes only while the comment still
//   has the status the action gave it.
// - The reply box sends with Ctrl+Enter and closes with Esc.
// The admin loads it in <head>, so it starts once the document is parsed.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var actionForm = document.getElementById("comment-row-actions");
  var list = document.getElementById("result_list");
  if (!actionForm || !list) return;
  var current = -1;
  var UNDO_SECONDS = Number(actionForm.dataset.undoSeconds) || 0;
  // Offered undos: {id, index, undo, until}; put back into the rows after every refresh.
  var undos = [];
  // Where each comment sent to the ground page stood in the list: {id: index}.
  var PLACES = "comment-desk-trash-places";
  function places() {
    try { return JSON.parse(window.sessionStorage.getItem(PLACES)) || {}; } catch (error) { return {}; }
  }
  function remember(id, index) {
    var known = places();
    known[id] = index;
    try { window.sessionStorage.setItem(PLACES, JSON.stringify(known)); } catch (error) { /* private mode */ }
  }

  // The admin focuses the search field on load; on the desk the keys belong to the shortcuts
  // until the moderator clicks into the field.
  var search = document.getElementById("searchbar");
  if (search && !search.value) {
    search.removeAttribute("autofocus");
    if (document.activeElement === search) search.blur();
  }

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("tbody tr"));
  }

  function announce(text) {
    var box = document.getElementById("comment-desk-status");
    if (!box) {
      box = document.createElement("p");
      box.id = "comment-desk-status";
      box.className = "comment-desk-status";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    box.textContent = text;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) throw new Error(answer.message || response.status);
        return answer;
      });
    });
  }

  // Fetches the current view again and swaps in its rows and counts; the page does not move.
  // The tbody itself stays, so the admin's own listeners on it keep working.
  function refresh() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var freshBody = fresh.querySelector("#result_list tbody");
        if (freshBody) {
          list.querySelector("tbody").replaceChildren.apply(
            list.querySelector("tbody"),
            Array.prototype.map.call(freshBody.children, function (row) { return document.importNode(row, true); })
          );
        }
        [".comment-views", "#changelist-filter", "p.paginator", "#changelist-search .quiet"]
          .forEach(function (selector) {
            var replacement = fresh.querySelector(selector);
            var old = document.querySelector(selector);
            if (replacement && old) old.replaceWith(document.importNode(replacement, true));
          });
        [".actions .action-counter", ".actions .all", ".actions .question a"].forEach(function (selector) {
          var replacement = fresh.querySelector(selector);
          var old = document.querySelector(selector);
          if (!replacement || !old) return;
          old.textContent = replacement.textContent;
          if (replacement.dataset.actionsIcnt) old.dataset.actionsIcnt = replacement.dataset.actionsIcnt;
        });
        var toggle = document.getElementById("action-toggle");
        if (toggle) toggle.checked = false;
        showUndos();
        var all = rows();
        if (all.length) select(Math.min(Math.max(current, 0), all.length - 1), false);
      });
  }

  // "0 von 20 ausgewählt": counted from the rows there are now (the admin's own script counts
  // the rows of the first load).
  function countSelected() {
    var counter = document.querySelector(".actions .action-counter");
    if (!counter || !window.interpolate || !window.ngettext) return;
    var total = Number(counter.dataset.actionsIcnt);
    var selected = list.querySelectorAll("tbody input.action-select:checked").length;
    counter.textContent = window.interpolate(
      window.ngettext("%(sel)s of %(cnt)s selected", "%(sel)s of %(cnt)s selected", selected),
      { sel: selected, cnt: total }, true);
  }
  list.addEventListener("change", function (event) {
    if (event.target.matches("input.action-select")) countSelected();
  });
  var toggle = document.getElementById("action-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      list.querySelectorAll("tbody input.action-select").forEach(function (box) {
        box.checked = toggle.checked;
        box.closest("tr").classList.toggle("selected", toggle.checked);
      });
      countSelected();
    });
  }

  function commentRows() {
    return rows().filter(function (row) { return row.querySelector(".comment-row"); });
  }

  function showUndos() {
    var now = Date.now();
    undos = undos.filter(function (offer) { return offer.until > now; });
    var template = document.getElementById("comment-undo-row");
    if (!template) return;
    undos.forEach(function (offer) {
      var rowsNow = commentRows();
      var same = list.querySelector("[data-comment='" + offer.id + "']");
      var undoRow = template.content.firstElementChild.cloneNode(true);
      undoRow.dataset.undoFor = offer.id;
      undoRow.firstElementChild.colSpan = (list.querySelector("thead tr") || { children: [1] }).children.length;
      undoRow.querySelector(".comment-undo-text").textContent = offer.undo.text;
      undoRow.querySelector(".comment-undo-button").addEventListener("click", function () { undo(offer); });
      window.setTimeout(function () { undoRow.remove(); }, offer.until - now);
      if (same) same.closest("tr").after(undoRow);
      else if (rowsNow[offer.index]) rowsNow[offer.index].before(undoRow);
      else list.querySelector("tbody").appendChild(undoRow);
    });
  }

  // The offers the server kept for this list (after the ground page): into their rows.
  var offered = document.querySelector(".comment-undo-offers");
  if (offered) {
    var known = places(), still = {};
    offered.querySelectorAll("form[data-comment]").forEach(function (form) {
      var id = form.dataset.comment;
      still[id] = known[id];
      undos.push({
        id: id,
        index: known[id] >= 0 ? known[id] : 0,
        until: Date.now() + Number(form.dataset.seconds) * 1000,
        undo: {
          url: form.getAttribute("action"),
          status: form.elements.status.value,
          expected: form.elements.expected.value,
          text: form.querySelector(".comment-undo-text").textContent,
        },
      });
    });
    try { window.sessionStorage.setItem(PLACES, JSON.stringify(still)); } catch (error) { /* private mode */ }
    offered.remove();
    showUndos();
  }

  // To the ground page: remember the row's place, and come back to this very view.
  function toTrashPage(link) {
    var row = link.closest("tr");
    remember((row.querySelector(".comment-row") || { dataset: {} }).dataset.comment, commentRows().indexOf(row));
    window.location.href = link.href + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
  }

  function undo(offer) {
    undos = undos.filter(function (other) { return other !== offer; });
    var data = new FormData(actionForm);
    data.append("status", offer.undo.status);
    data.append("expected", offer.undo.expected);
    post(offer.undo.url, data)
      .then(function (answer) { return refresh().then(function () { announce(answer.message); }); })
      .catch(function (error) { return refresh().then(function () { announce(error.message); }); });
  }

  function act(button, via) {
    var data = new FormData(actionForm);
    if (button.name) data.append(button.name, button.value);
    if (via) data.append("via", via);
    button.disabled = true;
    var row = button.closest("tr");
    var index = commentRows().indexOf(row);
    var id = (row.querySelector(".comment-row") || { dataset: {} }).dataset.comment;
    return post(button.getAttribute("formaction"), data)
      .then(function (answer) {
        undos = undos.filter(function (offer) { return offer.id !== id; });
        if (answer.undo) undos.push({ id: id, index: index, undo: answer.undo, until: Date.now() + UNDO_SECONDS * 1000 });
        return refresh().then(function () { announce(answer.message); });
      })
      .catch(function () {
        announce("Das hat nicht geklappt. Bitte laden Sie die Seite neu.");
        button.disabled = false;
      });
  }

  function openReply(link) {
    var row = link.closest("tr");
    var next = row.nextElementSibling;
    if (next && next.classList.contains("comment-reply-row")) {
      next.querySelector("textarea").focus();
      return;
    }
    var replyRow = document.createElement("tr");
    replyRow.className = "comment-reply-row";
    var cell = document.createElement("td");
    cell.colSpan = row.children.length;
    var label = document.createElement("label");
    var id = "reply-" + (row.querySelector(".comment-row") || {}).dataset.comment;
    label.htmlFor = id;
    label.textContent = "Ihre Antwort (wird sofort veröffentlicht)";
    var textarea = document.createElement("textarea");
    textarea.id = id;
    textarea.rows = 4;
    var send = document.createElement("button");
    send.type = "button";
    send.className = "button default";
    // A reply to a pending comment approves it first, so the button says so (as WordPress).
    send.textContent = link.dataset.approves ? "Freigeben und antworten" : "Antworten";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button";
    cancel.textContent = "Abbrechen";
    cell.append(label, textarea, send, cancel);
    replyRow.appendChild(cell);
    row.after(replyRow);
    textarea.focus();
    var hint = document.createElement("p");
    hint.className = "help";
    hint.textContent = "Strg+Enter sendet, Esc schließt.";
    cell.appendChild(hint);
    cancel.addEventListener("click", function () { replyRow.remove(); link.focus(); });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); send.click(); }
      if (event.key === "Escape") { event.preventDefault(); cancel.click(); }
    });
    send.addEventListener("click", function () {
      var data = new FormData(actionForm);
      data.append("text", textarea.value);
      if (!textarea.value.trim()) { announce("Bitte geben Sie Ihren Antworttext ein."); return; }
      send.disabled = true;
      post(link.getAttribute("href"), data)
        .then(function (answer) {
          replyRow.remove();
          return refresh().then(function () { announce(answer.message); });
        })
        .catch(function () { send.disabled = false; announce("Die Antwort wurde nicht gespeichert."); });
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[form='comment-row-actions']");
    if (button) {
      event.preventDefault();
      act(button, "");
      return;
    }
    var reply = event.target.closest("a.row-action[data-shortcut='r']");
    if (reply) {
      event.preventDefault();
      openReply(reply);
    }
    var trash = event.target.closest("a.row-action-trash");
    if (trash && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      toTrashPage(trash);
    }
  });

  function select(index, scroll) {
    var all = commentRows();
    if (!all.length) return;
    current = Math.min(Math.max(index, 0), all.length - 1);
    all.forEach(function (row, i) { row.classList.toggle("comment-current", i === current); });
    if (scroll !== false) all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    return list.querySelector("tr.comment-current");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key;
    var all = commentRows();
    if (key === "j") { select(current + 1); event.preventDefault(); return; }
    if (key === "k") { select(current - 1); event.preventDefault(); return; }
    if ("ausdr".indexOf(key) === -1 || key.length !== 1) return;
    var row = currentRow();
    if (!row && all.length) { select(0); row = currentRow(); }
    if (!row) return;
    var control = row.querySelector(".row-action[data-shortcut='" + key + "']");
    if (!control) return;
    event.preventDefault();
    if (key === "r") openReply(control);
    else if (control.tagName === "A") toTrashPage(control);  // d: the ground page
    else act(control, "shortcut");
  });
});
