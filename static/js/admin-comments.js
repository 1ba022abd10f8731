// The moderation desk's conveniences, all optional: without this script every row action is a
// plain POST form and "Antworten" opens a page (comments/admin.py).
// - Row actions act in place: the change is sent with fetch, the list is fetched again and its
//   rows and counts are swapped in, so the scroll position stays.
// - "Antworten" opens a textarea under the row.
// - "Papierkorb" (and its shortcut d) opens the page that asks for the ground (DSA Art. 17).
// - WordPress's shortcuts: j/k move, a approve, u unapprove, s spam, d trash, r reply; never
//   while typing in a field.
// The admin loads it in <head>, so it starts once the document is parsed.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var actionForm = document.getElementById("comment-row-actions");
  var list = document.getElementById("result_list");
  if (!actionForm || !list) return;
  var current = -1;

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
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // Fetches the current view again and swaps in its rows and counts; the page does not move.
  function refresh() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        [["#result_list tbody", list.querySelector("tbody")],
         [".comment-views", document.querySelector(".comment-views")],
         ["#changelist-filter", document.getElementById("changelist-filter")]]
          .forEach(function (pair) {
            var replacement = fresh.querySelector(pair[0]);
            if (replacement && pair[1]) pair[1].replaceWith(document.importNode(replacement, true));
          });
        var all = rows();
        if (all.length) select(Math.min(Math.max(current, 0), all.length - 1), false);
      });
  }

  function act(button, via) {
    var data = new FormData(actionForm);
    if (button.name) data.append(button.name, button.value);
    if (via) data.append("via", via);
    button.disabled = true;
    return post(button.getAttribute("formaction"), data)
      .then(function (answer) {
        return refresh().then(function () { announce(answer.message); });
      })
      .catch(function () {
        announce("Das hat nicht geklappt. Bitte lade die Seite neu.");
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
    send.textContent = "Antworten";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button";
    cancel.textContent = "Abbrechen";
    cell.append(label, textarea, send, cancel);
    replyRow.appendChild(cell);
    row.after(replyRow);
    textarea.focus();
    cancel.addEventListener("click", function () { replyRow.remove(); link.focus(); });
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
  });

  function select(index, scroll) {
    var all = rows().filter(function (row) { return !row.classList.contains("comment-reply-row"); });
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
    var all = rows().filter(function (row) { return !row.classList.contains("comment-reply-row"); });
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
    else if (control.tagName === "A") window.location.href = control.href;  // d: the ground page
    else act(control, "shortcut");
  });
});
