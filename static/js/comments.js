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
    parentInput.value = link.getAttribute("data-reply-to");
    title.textContent = "Antworte auf den Kommentar von " + link.getAttribute("data-author");
    cancel.hidden = false;
    textarea.focus();
  }

  function cancelReply() {
    var backTo = openedFrom || document.querySelector(
      ".comment-reply-link[data-reply-to='" + CSS.escape(parentInput.value) + "']"
    );
    openedFrom = null;
    home.parentNode.insertBefore(respond, home.nextSibling);
    parentInput.value = "";
    title.textContent = defaultTitle;
    cancel.hidden = true;
    if (window.location.search.indexOf("replytocom=") !== -1) {
      window.history.replaceState(null, "", window.location.pathname);
    }
    returnFocus(backTo);
  }

  // Back to where the reader was: the "Antworten" link (which stays where it is on screen
  // when the form leaves from under it); only without one, to the text field.
  function returnFocus(link) {
    if (link) link.focus(); else textarea.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    } else if (event.target.closest(".cancel-reply")) {
      event.preventDefault();
      cancelReply();
    }
  });
})();
