// The message log: server-rendered rows, then live rows from the feed (same filters), newest first.

import { formatTime, h, statusBadge } from "../dom.js";
import { Feed } from "../feed.js";
import { Inspector } from "../inspector.js";

const table = document.querySelector("[data-message-table]");
const tbody = table.querySelector("tbody");
const summary = document.querySelector("[data-log-summary]");
const inspector = new Inspector(document.querySelector("[data-inspector]"));
const filters = JSON.parse(document.getElementById("log-filters").textContent || "{}");
const MAX_ROWS = 500;
let added = 0;

for (const time of table.querySelectorAll("time[datetime]")) time.textContent = formatTime(time.dateTime);

function validity(m) {
  if (!m.contract) return h("span", { class: "muted" }, "—");
  const mark = m.valid === true ? h("span", { class: "valid-yes" }, "✓") : m.valid === false ? h("span", { class: "valid-no" }, "✕") : "";
  return h("span", {}, `${m.contract} `, mark);
}

function row(m) {
  return h("tr", { class: "fresh", tabindex: "0", "aria-selected": "false", dataset: { messageId: m.id, status: m.status } },
    h("td", { class: "mono" }, `#${m.id}`),
    h("td", { class: "mono" }, formatTime(m.created_at)),
    h("td", {}, m.style),
    h("td", {}, m.kind),
    h("td", {}, m.hop + (m.attempt > 1 ? ` (attempt ${m.attempt})` : "")),
    h("td", {}, `${m.source} → ${m.target}`),
    h("td", {}, statusBadge(m.status, m.status_code ? String(m.status_code) : undefined)),
    h("td", {}, validity(m)));
}

function select(tr) {
  for (const other of tbody.querySelectorAll('[aria-selected="true"]')) other.setAttribute("aria-selected", "false");
  tr.setAttribute("aria-selected", "true");
  inspector.show(tr.dataset.messageId);
}

tbody.addEventListener("click", (event) => {
  const tr = event.target.closest("tr[data-message-id]");
  if (tr) select(tr);
});
tbody.addEventListener("keydown", (event) => {
  const tr = event.target.closest("tr[data-message-id]");
  if (!tr) return;
  if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(tr); }
  const next = event.key === "ArrowDown" ? tr.nextElementSibling : event.key === "ArrowUp" ? tr.previousElementSibling : null;
  if (next) { event.preventDefault(); next.focus(); }
});

new Feed({
  filters,
  cursor: Number(table.dataset.cursor),
  onMessages(messages) {
    if (!messages.length) return;
    tbody.querySelector("[data-empty]")?.remove();
    const fragment = document.createDocumentFragment();
    for (const m of [...messages].reverse()) fragment.append(row(m));
    tbody.prepend(fragment);
    const rows = tbody.querySelectorAll("tr[data-message-id]");
    for (let i = MAX_ROWS; i < rows.length; i++) rows[i].remove();
    added += messages.length;
    summary.textContent = `${added} new message${added === 1 ? "" : "s"} since you opened this page; showing the latest ${Math.min(rows.length, MAX_ROWS)}.`;
  },
}).start();
