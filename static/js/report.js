// The article's reading aids. Progressive enhancement: without this script the contents
// still link to every heading, the "#" links still work, and the page is complete.
(function () {
  "use strict";
  var slice = Array.prototype.slice;

  // Marks the contents entry of the section being read (and its parent section). An entry
  // the reader clicked stays marked until they scroll on by themselves, so a short section
  // at the top of the screen does not hand the mark to the subsection below it.
  function highlightContents() {
    var links = slice.call(document.querySelectorAll(".toc a[href^='#']"));
    var linkFor = {};
    var targets = [];
    links.forEach(function (link) {
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) { linkFor[target.id] = link; targets.push(target); }
    });
    if (!targets.length) return;
    var pinned = null;

    function inView() {
      var current = targets[0];
      var threshold = window.innerHeight * 0.3;
      targets.forEach(function (target) {
        if (target.getBoundingClientRect().top <= threshold) current = target;
      });
      return current;
    }

    function mark() {
      var link = linkFor[(pinned || inView()).id];
      links.forEach(function (other) {
        other.removeAttribute("aria-current");
        other.classList.remove("is-current-parent");
      });
      link.setAttribute("aria-current", "true");
      var subsection = link.closest(".toc-subsection");
      if (subsection) {
        subsection.parentNode.closest(".toc-section").querySelector("a").classList.add("is-current-parent");
      }
    }

    function pinToHash() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      pinned = linkFor[id] ? document.getElementById(id) : null;
      mark();
    }

    var scheduled = false;
    window.addEventListener("scroll", function () {
      if (scheduled) return;
      scheduled = true;
      window.requestAnimationFrame(function () { scheduled = false; mark(); });
    }, { passive: true });
    ["wheel", "touchmove", "keydown"].forEach(function (type) {
      window.addEventListener(type, function () { pinned = null; }, { passive: true });
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".toc a[href^='#']");
      if (link && linkFor[decodeURIComponent(link.hash.slice(1))]) {
        pinned = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        mark();
      }
    });
    window.addEventListener("hashchange", pinToHash);
    // The first mark measures the page: after the browser's own first layout, so that this
    // script never forces a layout of the whole article while it loads (Lighthouse's TBT).
    window.requestAnimationFrame(function () { window.setTimeout(pinToHash, 0); });
  }

  // The "Link kopieren" button beside each heading's "#" (in the page, so that loading adds
  // nothing to lay out; site.css hides it without scripting), announced through one live region.
  function copyLinks() {
    var buttons = slice.call(document.querySelectorAll(".section-heading > .copy-link"));
    if (!buttons.length) return;
    if (!navigator.clipboard) {
      buttons.forEach(function (button) { button.hidden = true; });
      return;
    }
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);

    document.addEventListener("click", function (event) {
      var button = event.target.closest(".section-heading > .copy-link");
      if (!button) return;
      var permalink = button.parentNode.querySelector(".permalink");
      var url = window.location.origin + window.location.pathname + permalink.hash;
      navigator.clipboard.writeText(url).then(function () {
        say(button, "Link kopiert");
      }, function () {
        window.location.hash = permalink.hash;
        say(button, "Kopieren nicht möglich – der Link steht jetzt in der Adresszeile.");
      });
    });

    function say(button, message) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
      button.textContent = message.length < 20 ? message : "Link kopieren";
      window.setTimeout(function () { button.textContent = "Link kopieren"; }, 2500);
    }
  }

  // Phones: "Inhalt / Nach oben" after the first screen, shown while the reader scrolls back
  // up (looking for a way back), hidden while reading on, and never over the contents, the
  // comment form or a field being typed in. Once the reader stops scrolling they are reading
  // again: the links step aside after a few seconds, unless they have the focus or the
  // pointer. At the end of the page, room is kept under the footer (site.css).
  function floatingLinks() {
    var nav = document.querySelector(".float-nav");
    var toc = document.getElementById("inhaltsverzeichnis");
    if (!nav || !toc || !("IntersectionObserver" in window)) return;
    var wide = window.matchMedia("(min-width: 60rem)");
    var inTheWay = new Set();
    var lastY = window.scrollY;
    var goingUp = false;

    function update() {
      var y = window.scrollY;
      if (Math.abs(y - lastY) > 8) { goingUp = y < lastY; lastY = y; }
      var typing = document.activeElement && document.activeElement.closest("form");
      nav.hidden = wide.matches || y < window.innerHeight || !goingUp || inTheWay.size > 0 || !!typing;
      window.clearTimeout(resting);
      if (!nav.hidden) resting = window.setTimeout(stepAside, REST_MS);
    }

    var REST_MS = 3000;
    var resting = null;
    function stepAside() {
      if (nav.contains(document.activeElement) || nav.matches(":hover")) {
        resting = window.setTimeout(stepAside, REST_MS);
        return;
      }
      goingUp = false;
      nav.hidden = true;
    }

    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) inTheWay.add(entry.target); else inTheWay.delete(entry.target);
      });
      update();
    });
    [toc, document.getElementById("kommentarformular")].forEach(function (element) {
      if (element) observer.observe(element);
    });
    window.addEventListener("scroll", update, { passive: true });
    document.addEventListener("focusin", update);
    document.addEventListener("focusout", update);
    nav.querySelector("a[href='#inhaltsverzeichnis']").addEventListener("click", function () {
      toc.querySelector("details").open = true;
    });
  }

  // Browsers without ::details-content cannot show a closed <details>' list on wide screens
  // by CSS alone (site.css): open it there.
  function openContentsOnWideScreens() {
    var details = document.querySelector(".toc-details");
    if (details && window.matchMedia("(min-width: 60rem)").matches) details.open = true;
  }

  // "Zitieren" and "Link zu dieser Stelle" (quote.js) are fetched when a reader first selects
  // text or uses the keyboard: most readers never do, and the page stays within its budget.
  function loadQuotingOnDemand() {
    var report = document.querySelector("article.report[data-quote-script]");
    if (!report) return;
    function load(event) {
      if (event.type === "selectionchange" && getSelection().isCollapsed) return;
      document.removeEventListener("selectionchange", load);
      document.removeEventListener("keydown", load);
      var script = document.createElement("script");
      script.src = report.getAttribute("data-quote-script");
      document.head.appendChild(script);
    }
    document.addEventListener("selectionchange", load);
    document.addEventListener("keydown", load);
  }

  openContentsOnWideScreens();
  highlightContents();
  copyLinks();
  floatingLinks();
  loadQuotingOnDemand();
})();
