// Shop's tables as they are now, marked against the original: new columns and gone ones.
// Also keeps the "ship a change" buttons honest: a shipped change cannot be shipped again.

import { h } from "../../dom.js";

function chips(columns, original) {
  const now = new Set(columns);
  const gone = (original || []).filter((c) => !now.has(c));
  return h("ul", { class: "db-columns" },
    columns.map((c) => h("li", { class: original && !original.includes(c) ? "db-col db-col-new" : "db-col" }, c,
      original && !original.includes(c) ? h("span", { class: "visually-hidden" }, " (new)") : null)),
    gone.map((c) => h("li", { class: "db-col db-col-gone" }, h("s", {}, c), h("span", { class: "visually-hidden" }, " (gone)"))));
}

export async function loadSchema() {
  const target = document.querySelector("[data-db-schema]");
  const response = await fetch("/api/database/schema");
  if (!response.ok) return target.replaceChildren(h("p", { class: "notice error" }, "Shop's schema could not be read."));
  const state = await response.json();
  target.replaceChildren(...Object.entries(state.tables).map(([table, columns]) => h("div", { class: "db-schema-table", dataset: { dbTable: table } },
    h("h3", { class: "mono" }, table, state.original[table] ? null : h("span", { class: "db-col db-col-new" }, "new table")),
    chips(columns, state.original[table]))));
  const shipped = new Set(state.applied);
  for (const button of document.querySelectorAll("[data-db-change]")) {
    const change = button.dataset.dbChange;
    button.disabled = change === "restore" ? shipped.size === 0 : shipped.has(change);
    button.dataset.shipped = String(shipped.has(change));
  }
  return state;
}
