// New comments without reloading (comments/live.py). While the tab is visible, ask the
// discussion's counter about every 30 s, less often while nothing changes (up to 5 min), not at
// all while the tab is hidden. When more comments are approved than the page shows, a polite
// live region says so, with a button that loads the discussion in place.
(function () {
  "use strict";
  var discussion = document.querySelector(".discussion[data-live]");
  if (!discussion) return;
  var region = discussion.querySelector(".discussion-live");
  var shown = Number(discussion.getAttribute("data-count")) || 0;
  var first = 30000, longest = 300000, delay = first, timer = null, latest = shown;
  var asking = false;

  function schedule() {
    window.clearTimeout(timer);
    timer = document.hidden ? null : window.setTimeout(ask, delay);
  }

  function ask() {
    if (asking) return;
    asking = true;
    // "no-cache": ask the server (nginx answers from its copy) instead of the browser's
    // stale-while-revalidate copy, which would lag a question behind.
    window.fetch(discussion.getAttribute("data-live"), { credentials: "omit", cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.count > latest) {
          latest = answer.count;
          delay = first;
          offer(latest - shown);
        } else {
          delay = Math.min(delay * 1.5, longest);
        }
      })
      .catch(function () { delay = Math.min(delay * 2, longest); })
      .then(function () { asking = false; schedule(); });
  }

  function offer(count) {
    if (count < 1) return;
    var words = count === 1 ? "Ein neuer Kommentar" : count + " neue Kommentare";
    region.textContent = "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "discussion-live-button";
    button.textContent = (count === 1 ? "Einen neuen Kommentar" : words) + " anzeigen";
    region.appendChild(document.createTextNode(words + ". "));
    region.appendChild(button);
  }

  function swap(page, selector, before) {
    var fresh = page.querySelector("#kommentare " + selector);
    var old = discussion.querySelector(selector);
    if (!fresh) return;
    fresh = document.importNode(fresh, true);
    if (old) old.replaceWith(fresh);
    else if (before) region.before(fresh);
    else region.after(fresh);
  }

  region.addEventListener("click", function (event) {
    var button = event.target.closest(".discussion-live-button");
    if (!button || button.disabled) return;
    button.disabled = true;
    var address = window.location.pathname + window.location.search;
    window.fetch(address, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        swap(page, ".comments-title", true);
        swap(page, ".comment-list", false);
        var count = page.querySelector("#kommentare[data-count]");
        shown = latest = count ? Number(count.getAttribute("data-count")) : latest;
        discussion.setAttribute("data-count", shown);
        region.textContent = "Neue Kommentare geladen.";
        var title = discussion.querySelector(".comments-title");
        if (title) { title.tabIndex = -1; title.focus(); }
      })
      .catch(function () { window.location.reload(); });
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { window.clearTimeout(timer); timer = null; return; }
    delay = first;
    ask();
  });
  schedule();
})();
