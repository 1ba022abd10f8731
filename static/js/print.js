// "Drucken mit Kommentaren" (?drucken=kommentare): a button that opens the print dialogue.
// Loaded only on that view; without scripting the banner asks for the browser's own print.
(function () {
  "use strict";
  var button = document.querySelector(".print-now");
  if (!button || !window.print) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
