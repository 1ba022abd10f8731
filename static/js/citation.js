// "Kopieren" on the citation page (reports/citation.html): copies one format's text and says
// so through the page's live region. Without scripting (or clipboard) the buttons stay hidden
// (site.css) and the text can be selected or downloaded.
(function () {
  "use strict";
  var status = document.querySelector("p.visually-hidden[role=status]");
  var buttons = document.querySelectorAll(".copy-citation");
  if (!navigator.clipboard) return;
  [].forEach.call(buttons, function (button) {
    button.classList.add("can-copy");
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Kopiert";
        status.textContent = "In die Zwischenablage kopiert.";
        setTimeout(function () { button.textContent = "Kopieren"; }, 2500);
      }, function () {
        status.textContent = "Kopieren nicht möglich – markiere den Text und kopiere ihn selbst.";
      });
    });
  });
})();
