// Reporting's two dashboards: "direct" (SQL straight into Shop's tables) and "api" (Shop's API).
// Each panel shows its numbers, or — when Shop's change broke its SQL — the database's own error.

import { formatMs, h, statusBadge } from "../../dom.js";

const money = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });
const euros = (text) => money.format(Number(text));

// A table wider than a phone scrolls in its own region, which a keyboard can reach (tabindex).
function table(label, headers, rows, numeric = []) {
  return h("div", { class: "scroll-x", role: "region", tabindex: "0", "aria-label": label }, h("table", { class: "db-table" },
    h("thead", {}, h("tr", {}, headers.map((x, i) => h("th", { scope: "col", class: numeric.includes(i) ? "num" : "" }, x)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell, i) => h("td", { class: numeric.includes(i) ? "num" : "" }, cell)))))));
}

const VALUES = {
  revenue_today: (v) => h("div", { class: "db-big" }, h("strong", {}, euros(v.revenue)), h("span", { class: "muted" }, ` from ${v.orders} orders placed today`)),
  orders_by_status: (v) => {
    const most = Math.max(1, ...v.map((s) => s.orders));
    return h("ul", { class: "db-bars", "aria-label": "Orders by status" }, v.map((s) => h("li", {},
      h("span", { class: "db-bar-label" }, s.status),
      h("span", { class: "db-bar", style: `--share:${(s.orders / most) * 100}%` }, String(s.orders)))));
  },
  top_customers: (v) => table("Top customers", ["Customer", "City", "Orders", "Spent"], v.map((c) => [c.name, c.city, String(c.orders), euros(c.spent)]), [2, 3]),
};

function sql(panel, broken) {
  const text = panel.sql + (Object.keys(panel.params || {}).length ? `\n-- with ${Object.entries(panel.params).map(([k, x]) => `:${k} = '${x}'`).join(", ")}` : "");
  return h("details", { class: "db-sql", open: broken || undefined }, h("summary", {}, "The SQL Reporting runs"), h("pre", {}, text));
}

function widget(name, panel, via) {
  const body = panel.ok
    ? VALUES[name](panel.value)
    : h("div", { class: "db-error" },
      h("p", {}, h("strong", {}, via === "direct" ? "✕ This query broke. The database said:" : "✕ Shop's API did not answer:")),
      h("code", { "data-db-error": "" }, panel.error));
  return h("section", { class: "db-widget", dataset: { dbPanel: name, ok: String(panel.ok) } },
    h("h4", {}, panel.title, " ", statusBadge(panel.ok ? "ok" : "error", panel.ok ? "works" : "broken")),
    body, via === "direct" ? sql(panel, !panel.ok) : null);
}

function calls(list) {
  if (!list.length) return null;
  return h("details", { class: "db-sql" }, h("summary", {}, `The ${list.length} HTTP request(s) Reporting made`),
    h("ul", { class: "db-call-list" }, list.map((c) => h("li", { class: "mono" },
      `GET ${c.path} → ${c.status || "no answer"} · ${c.rows} item(s) · ${formatMs(c.duration_ms)}`))));
}

function summary(data) {
  const broken = Object.values(data.panels).filter((p) => !p.ok).length;
  // Time spent getting the data: in the database for direct SQL, on the wire for the API.
  const what = data.via === "direct"
    ? `${Object.keys(data.panels).length} SQL queries, ${formatMs(Object.values(data.panels).reduce((t, p) => t + p.duration_ms, 0))} in the database`
    : `${data.calls.length} HTTP requests, ${formatMs(data.calls.reduce((t, c) => t + c.duration_ms, 0))} on the wire`;
  const state = broken ? `${broken} of ${Object.keys(data.panels).length} panels broken` : "every panel works";
  return `${state} · ${what}`;
}

function render(board, data) {
  board.dataset.ok = String(data.ok);
  board.setAttribute("aria-busy", "false");
  const badge = statusBadge(data.ok ? "ok" : "error", data.ok ? "working" : "broken");
  badge.dataset.dbBoardState = "";
  board.querySelector("[data-db-board-state]").replaceWith(badge);
  board.querySelector("[data-db-board-summary]").textContent = summary(data);
  board.querySelector("[data-db-widgets]").replaceChildren(...Object.entries(data.panels).map(([n, p]) => widget(n, p, data.via)));
  board.querySelector("[data-db-calls]").replaceChildren(...[calls(data.calls)].filter(Boolean));
}

function fail(board, text) {
  board.dataset.ok = "false";
  board.setAttribute("aria-busy", "false");
  board.querySelector("[data-db-widgets]").replaceChildren(h("p", { class: "notice error" }, text));
}

export async function loadBoard(via) {
  const board = document.querySelector(`[data-db-board="${via}"]`);
  board.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(`/api/database/dashboard?via=${via}&request_id=${crypto.randomUUID()}`);
    const data = await response.json();
    if (response.status === 403) {
      // Each refresh is a real, recorded exchange: in a room only the instructor runs it.
      fail(board, "In this room your instructor runs the dashboards: watch the stage when they press Refresh.");
      return null;
    }
    if (!response.ok) throw new Error(data.detail || response.statusText);
    render(board, data);
    return data;
  } catch (error) {
    fail(board, `The dashboard could not be loaded: ${error.message}`);
    return null;
  }
}

export const loadBoards = () => Promise.all([loadBoard("direct"), loadBoard("api")]);
