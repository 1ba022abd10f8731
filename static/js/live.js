// New comments without reloading (comments/live.py). While the tab is visible, ask the
// discussion's counter about every 30 s, less often while nothing changes (up to 5 min), not at
// all while the tab is hidden. When more comments are approved than the page shows, a polite
// live region says so, with a button that loads the discussion in place: this page of it, and,
// in a discussion of several pages, the new threads that landed on another page (the last one,
// oldest first; the first, newest first), under "Neu, von Seite 3" at this page's end or start.
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

  // The discussion's own parts (":scope >"), not the lists of comments from other pages below.
  function own(root, selector) {
    var scope = root === discussion ? ":scope > " : "#kommentare > ";
    return root.querySelectorAll(scope + selector);
  }

  function swap(page, selector, before) {
    var fresh = own(page, selector)[0];
    var old = own(discussion, selector)[0];
    if (!fresh) return;
    fresh = document.importNode(fresh, true);
    if (old) keepForm(old, fresh);
    if (old) old.replaceWith(fresh);
    else if (before) region.before(fresh);
    else region.after(fresh);
  }

  // The page's list with the new threads from other pages before (`forward` false) or after it.
  function edge(forward) {
    var end = own(discussion, ".comment-list")[0] || region;
    var next = forward ? "nextElementSibling" : "previousElementSibling";
    while (end[next] && end[next].matches(".comments-new")) end = end[next];
    return end;
  }

  // The reader's form, opened under a comment with what they typed, survives the swap: under
  // the same comment in the fresh list, else just below it. The fetched copy of it goes.
  function keepForm(old, fresh) {
    var form = document.getElementById("kommentarformular");
    var copy = fresh.querySelector("#kommentarformular");
    if (copy) copy.remove();
    if (!form || !old.contains(form)) return;
    var comment = form.parentNode.closest(".comment");
    var body = comment && fresh.querySelector("#" + CSS.escape(comment.id) + " > .comment-body");
    if (body) body.after(form);
    else old.after(form);
  }

  // Above and below the comments; a discussion that only now has pages gets both.
  function swapNavigation(page) {
    var fresh = own(page, ".comments-pagination"), old = own(discussion, ".comments-pagination");
    for (var i = 0; i < fresh.length; i++) {
      var nav = document.importNode(fresh[i], true);
      if (old[i]) old[i].replaceWith(nav);
      else if (i) edge(true).after(nav);
      else region.before(nav);
    }
    for (var j = fresh.length; j < old.length; j++) old[j].remove();
  }

  function fetchPage(address) {
    return window.fetch(address, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }

  // A comment brought from another page that the current page now shows itself goes.
  function dropTwins(list) {
    own(discussion, ".comments-new").forEach(function (block) {
      block.querySelectorAll(":scope > ol > li").forEach(function (item) {
        if (list && list.querySelector("#" + CSS.escape(item.id))) item.remove();
      });
      if (!block.querySelector("li")) block.remove();
    });
  }

  // The new threads (and new replies) on page `number` that this page does not show yet, under
  // "Neu, von Seite 3", at the end of the list for a later page, at its start for an earlier one.
  function bringIn(number, entry, here) {
    return fetchPage(entry.url).then(function (page) {
      var items = Array.prototype.filter.call(
        own(page, ".comment-list > li"),
        function (item) { return entry.ids[item.id] && !document.getElementById(item.id); }
      );
      // New replies in threads on that page: the reply alone, saying whom it answers.
      Object.keys(entry.ids).forEach(function (id) {
        var reply = page.getElementById(id);
        var parent = reply && reply.parentNode.closest("li.comment");
        if (!parent || document.getElementById(id)) return;
        reply = reply.cloneNode(true);
        reply.querySelectorAll(".children").forEach(function (children) { children.remove(); });
        var to = document.createElement("p");
        var link = document.createElement("a");
        to.className = "comment-reply-to";
        link.href = entry.url + "#" + parent.id;
        link.textContent = parent.querySelector(".comment-author").textContent;
        to.append("Antwort auf ", link);
        reply.prepend(to);
        items.push(reply);
      });
      if (!items.length) return null;
      var block = document.createElement("div");
      block.className = "comments-new";
      var note = document.createElement("h3");
      var link = document.createElement("a");
      note.className = "comments-new-from";
      note.tabIndex = -1;
      link.href = entry.url + "#kommentare";
      link.textContent = "Seite " + number;
      note.append("Neu, von ", link);
      var list = document.createElement("ol");
      list.className = "comment-list";
      items.forEach(function (item) { list.appendChild(document.importNode(item, true)); });
      block.append(note, list);
      if (number < here) {
        // Where the new threads end and the page's own begin.
        block.appendChild(document.createElement("hr"));
        edge(false).before(block);
      } else {
        edge(true).after(block);
      }
      return note;
    });
  }

  // The comments approved last (comments/live.py recent_comments, beside the counter): those
  // on other pages than this one are fetched from there, at most three pages.
  function bringInOthers(answer) {
    var current = discussion.querySelector(".page-current");
    var here = current ? Number(current.textContent) : 1;
    var pages = {};
    (answer && answer.comments || []).forEach(function (comment) {
      if (comment.page === here || document.getElementById("c" + comment.id)) return;
      var entry = pages[comment.page] = pages[comment.page] || { url: comment.url, ids: {} };
      entry.ids["c" + comment.id] = true;
    });
    // Earlier pages nearest first (each goes before the ones already there), later in order.
    var numbers = Object.keys(pages).map(Number).slice(0, 3).sort(function (a, b) {
      return a < here && b < here ? b - a : a - b;
    });
    return numbers.reduce(function (done, number) {
      return done.then(function (notes) {
        return bringIn(number, pages[number], here).then(function (note) {
          return note ? notes.concat(note) : notes;
        });
      });
    }, Promise.resolve([]));
  }

  region.addEventListener("click", function (event) {
    var button = event.target.closest(".discussion-live-button");
    if (!button || button.disabled) return;
    button.disabled = true;
    var address = window.location.pathname + window.location.search;
    // Beside the counter: ".../kommentare/stand/" → ".../kommentare/neu/3/" (1 to 50, the
    // server's MOST_RECENT in comments/live.py; more new comments than that: the latest 50).
    var counter = new URL(discussion.getAttribute("data-live"), window.location.href);
    var recent = window.fetch(new URL("../neu/" + Math.min(Math.max(latest - shown, 1), 50) + "/", counter), {
      credentials: "omit", cache: "no-cache"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
    fetchPage(address)
      .then(function (page) {
        swap(page, ".comments-title", true);
        swap(page, ".comment-list", false);
        dropTwins(own(discussion, ".comment-list")[0]);
        swapNavigation(page);
        // The counts outside the discussion: in the report's header and in the contents.
        [".comment-count", ".toc-comments a"].forEach(function (selector) {
          var fresh = page.querySelector(selector), old = document.querySelector(selector);
          if (fresh && old) old.textContent = fresh.textContent;
        });
        var count = page.querySelector("#kommentare[data-count]");
        shown = latest = count ? Number(count.getAttribute("data-count")) : latest;
        discussion.setAttribute("data-count", shown);
      }, function (error) {
        // No reload: it would lose what the reader may be typing in the form.
        region.textContent = "Die neuen Kommentare konnten nicht geladen werden. ";
        button.disabled = false;
        region.appendChild(button);
        throw error;
      })
      .then(function () {
        return recent.then(bringInOthers).catch(function () { return []; });
      })
      .then(function (notes) {
        region.textContent = "Neue Kommentare geladen.";
        // The new threads from another page, else the heading with the new count.
        notes.sort(function (a, b) { return a.compareDocumentPosition(b) & 4 ? -1 : 1; });
        var target = notes[0] || discussion.querySelector(".comments-title");
        if (target) { target.tabIndex = -1; target.focus(); }
      }, function () {});
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { window.clearTimeout(timer); timer = null; return; }
    delay = first;
    ask();
  });
  schedule();
})();
