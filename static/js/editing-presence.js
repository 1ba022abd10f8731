/* "Erika Muster bearbeitet diesen Bericht seit 10:02 Uhr" (progressive enhancement).

   While the report's change form is open, tell the server every 30 seconds (reports.presence)
   and show who else has it open. Without JavaScript, opening the form still counts, and the
   notice shows whoever opened it in the last minutes. */
window.addEventListener("load", () => {
  "use strict";

  const box = document.querySelector("[data-presence-url]");
  const form = document.getElementById("report_form");
  if (!box || !form) return;
  const token = form.querySelector("[name=csrfmiddlewaretoken]")?.value;
  const HEARTBEAT_MS = 30000;

  async function beat() {
    if (document.visibilityState === "hidden") return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token || "");
    try {
      const response = await fetch(box.dataset.presenceUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
      });
      if (response.ok) box.innerHTML = await response.text(); // rendered by the server
    } catch (error) {
      /* offline for a moment: the next beat tries again */
    }
  }

  window.setInterval(beat, HEARTBEAT_MS);
  document.addEventListener("visibilitychange", beat);
});
