/* Section editor in the report's admin form (progressive enhancement; a static file, so the
   admin keeps its strict Content-Security-Policy).

   - Each section folds to one line with its heading and level; subsections are indented.
   - Order by drag and drop, or with the buttons "nach oben" / "nach unten" (keyboard). The
     "Reihenfolge" numbers are rewritten to match; without JavaScript they are typed by hand.
   - Textareas grow with their text.
   - "Abschnitt-Vorschau" renders one section's Markdown through the site's own renderer and
     sanitiser (a staff-only endpoint), without saving.
*/
window.addEventListener("load", () => {
  "use strict";

  const group = document.getElementById("sections-group");
  if (!group) return;
  const form = group.closest("form");
  const previewUrl = document.querySelector("[data-section-preview-url]")?.dataset.sectionPreviewUrl;
  const LEVELS = { "2": "Abschnitt", "3": "Unterabschnitt" };

  function rows() {
    return Array.from(group.querySelectorAll(".inline-related:not(.empty-form)"));
  }
  function field(row, name) {
    return row.querySelector(`[name$="-${name}"]`);
  }

  function grow(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 4}px`;
  }

  function renumber() {
    rows().forEach((row, index) => {
      const order = field(row, "order");
      if (order) order.value = String((index + 1) * 10);
    });
  }

  function describe(row) {
    const title = field(row, "title")?.value.trim() || "(ohne Überschrift)";
    const level = field(row, "level")?.value || "2";
    row.classList.toggle("is-subsection", level === "3");
    row.querySelector(".section-summary-title").textContent = title;
    row.querySelector(".section-summary-level").textContent = LEVELS[level] || "";
  }

  /* Give the moved section a number between its neighbours, so only its own "Reihenfolge"
     changes (one history line); renumber all only when there is no room. */
  function placed(row) {
    const all = rows();
    const index = all.indexOf(row);
    const number = (other) => Number.parseInt(field(other, "order")?.value, 10) || 0;
    const before = index > 0 ? number(all[index - 1]) : 0;
    const after = index < all.length - 1 ? number(all[index + 1]) : before + 20;
    if (after - before >= 2) field(row, "order").value = String(Math.floor((before + after) / 2));
    else renumber();
  }

  function move(row, step) {
    const all = rows();
    const index = all.indexOf(row);
    const target = all[index + step];
    if (!target) return;
    if (step < 0) target.before(row);
    else target.after(row);
    placed(row);
    row.querySelector(".section-move-up").focus();
    announce(`„${field(row, "title")?.value || ""}“ ist jetzt an Stelle ${rows().indexOf(row) + 1}.`);
  }

  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  group.prepend(live);
  function announce(text) {
    live.textContent = text;
  }

  async function preview(row, box) {
    const body = field(row, "body")?.value || "";
    const data = new FormData();
    data.append("body", body);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    box.hidden = false;
    box.textContent = "Vorschau wird geladen …";
    try {
      const response = await fetch(previewUrl, { method: "POST", body: data, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      box.innerHTML = await response.text(); // rendered and sanitised by the server
    } catch (error) {
      box.textContent = "Die Vorschau konnte nicht geladen werden. Bitte erneut versuchen.";
    }
  }

  function button(label, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `button ${className}`;
    element.textContent = label;
    return element;
  }

  function enhance(row) {
    if (row.dataset.enhanced) return;
    row.dataset.enhanced = "1";
    const heading = row.querySelector("h3");
    const content = Array.from(row.children).filter((child) => child !== heading);
    const wrapper = document.createElement("div");
    wrapper.className = "section-body";
    wrapper.id = `${row.id}-inhalt`;
    content.forEach((child) => wrapper.append(child));
    row.append(wrapper);

    const toggle = button("", "section-toggle");
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", wrapper.id);
    toggle.innerHTML = '<span class="section-summary-level"></span> <span class="section-summary-title"></span>';
    const up = button("nach oben", "section-move-up");
    const down = button("nach unten", "section-move-down");
    const handle = document.createElement("span");
    handle.className = "section-drag-handle";
    handle.title = "Ziehen, um den Abschnitt zu verschieben";
    handle.textContent = "⠿";
    handle.setAttribute("aria-hidden", "true");
    const tools = document.createElement("div");
    tools.className = "section-tools";
    tools.append(handle, toggle, up, down);
    heading.before(tools);
    heading.classList.add("visually-hidden");

    const hasErrors = row.querySelector(".errorlist");
    const isNew = !row.classList.contains("has_original");
    const open = Boolean(hasErrors || isNew);
    wrapper.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.addEventListener("click", () => {
      const expanded = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!expanded));
      wrapper.hidden = expanded;
      if (!expanded) wrapper.querySelectorAll("textarea").forEach(grow);
    });
    up.addEventListener("click", () => move(row, -1));
    down.addEventListener("click", () => move(row, 1));

    const body = field(row, "body");
    if (body && previewUrl) {
      const box = document.createElement("div");
      box.className = "section-preview";
      box.hidden = true;
      box.setAttribute("aria-live", "polite");
      box.lang = "en";
      const show = button("Abschnitt-Vorschau", "section-preview-button");
      show.addEventListener("click", () => preview(row, box));
      const tools = document.createElement("div");
      tools.className = "section-preview-tools";
      tools.append(show, box);
      (body.closest(".flex-container") || body).after(tools);
    }
    ["title", "level"].forEach((name) => {
      field(row, name)?.addEventListener("input", () => describe(row));
      field(row, name)?.addEventListener("change", () => describe(row));
    });

    row.draggable = false;
    handle.addEventListener("mousedown", () => { row.draggable = true; });
    row.addEventListener("dragstart", (event) => {
      row.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("is-dragging");
      row.draggable = false;
      placed(row);
    });
    row.addEventListener("dragover", (event) => {
      const dragged = group.querySelector(".is-dragging");
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) row.before(dragged);
      else row.after(dragged);
    });
    describe(row);
  }

  group.classList.add("section-editor-enhanced");
  rows().forEach(enhance);
  document.querySelectorAll("textarea").forEach((textarea) => {
    textarea.rows = 2; // the height comes from the text now
    grow(textarea);
    textarea.addEventListener("input", () => grow(textarea));
  });
  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    if (!group.contains(row)) return;
    enhance(row);
    row.querySelectorAll("textarea").forEach((textarea) => {
      textarea.addEventListener("input", () => grow(textarea));
    });
    placed(row);
  });
});
