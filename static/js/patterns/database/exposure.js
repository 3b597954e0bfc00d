// What the intruder sees: one customer as Reporting's connection reads it, beside the same
// customer as Shop's API gives it, with the private columns and their risks in plain words.

import { h } from "../../dom.js";

function record(sample, risky) {
  return h("dl", { class: "db-record" }, Object.entries(sample).flatMap(([column, value]) => [
    h("dt", { class: risky.has(column) ? "db-private" : "" }, column, risky.has(column) ? " ⚠ private" : ""),
    h("dd", { class: "mono" }, value === null ? "NULL" : String(value)),
  ]));
}

export async function loadExposure() {
  const target = document.querySelector("[data-db-exposure]");
  const response = await fetch("/api/database/exposure");
  if (response.status === 403) {
    return target.replaceChildren(h("p", { class: "muted" }, "In this room your instructor asks both sides what they can see."));
  }
  if (!response.ok) return target.replaceChildren(h("p", { class: "notice error" }, "Could not ask what each side can see."));
  const data = await response.json();
  const risky = new Set(data.private.map((p) => p.column));
  const columnCount = Object.values(data.direct.tables).reduce((n, cols) => n + cols.length, 0);
  target.replaceChildren(
    h("div", { class: "two-col" },
      h("div", { class: "db-side db-side-direct" },
        h("h3", {}, "Reporting's connection reads"),
        h("p", { class: "muted" }, `${Object.keys(data.direct.tables).length} tables, ${columnCount} columns — every one of them. The first customer:`),
        data.direct.error ? h("p", { class: "notice error" }, data.direct.error) : record(data.direct.sample, risky)),
      h("div", { class: "db-side db-side-api" },
        h("h3", {}, "Shop's API gives"),
        h("p", { class: "muted" }, `Only the agreed fields. The same customer, from GET ${data.api.path}:`),
        record(data.api.sample, new Set()))),
    h("h3", {}, "Why the extra columns matter"),
    h("ul", { class: "db-risks" }, data.private.map((p) => h("li", {}, h("strong", { class: "mono" }, p.column), ": ", p.risk))));
}
