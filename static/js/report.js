// Highlights the section being read in the table of contents. Progressive enhancement:
// without this script the contents still link to every heading.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  if (!links.length || !("IntersectionObserver" in window)) return;
  var linkFor = {};
  var headings = [];
  links.forEach(function (link) {
    var heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (heading) { linkFor[heading.id] = link; headings.push(heading); }
  });

  function markCurrent() {
    var current = headings[0];
    var threshold = window.innerHeight * 0.3;
    headings.forEach(function (heading) {
      if (heading.getBoundingClientRect().top <= threshold) current = heading;
    });
    links.forEach(function (link) { link.removeAttribute("aria-current"); });
    if (current) linkFor[current.id].setAttribute("aria-current", "true");
  }

  var observer = new IntersectionObserver(markCurrent, { rootMargin: "0px 0px -70% 0px" });
  headings.forEach(function (heading) { observer.observe(heading); });
  window.addEventListener("hashchange", markCurrent);
  markCurrent();
})();
