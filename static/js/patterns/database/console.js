// The read-only SQL console and the parameterised customer lookup. A refusal is shown as
// carefully as a result: what was refused, why in plain words, and the database's own message.

import { formatMs, h, postJSON, statusBadge } from "../../dom.js";

const CODE_WORDS = {
  read_only: "refused: read-only", not_allowed: "refused: not allowed", one_statement_only: "refused: one statement at a time",
  time_limit: "stopped: time limit", value_too_large: "refused: value too large", sql_error: "error",
  database_unavailable: "unavailable",
};

function cell(value) {
  const text = value === null ? "NULL" : String(value);
  return h("td", { title: text.length > 40 ? text : undefined, class: value === null ? "muted" : "" }, text);
}

function rowsTable(columns, rows) {
  // Scrolls both ways in its own region, which a keyboard can reach (tabindex).
  return h("div", { class: "db-scroll", role: "region", tabindex: "0", "aria-label": "The rows the query returned" }, h("table", { class: "db-table" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map(cell))))));
}

function showRows(target, sql, body) {
  const cap = body.truncated ? ` — only the first ${body.row_count} are shown (the console's cap: ${body.row_cap} rows, or a few MB)` : "";
  target.replaceChildren(
    h("p", {}, statusBadge("ok", "read"), ` ${body.row_count} row(s) in ${formatMs(body.duration_ms)}${cap}.`),
    body.columns.length ? rowsTable(body.columns, body.rows) : h("p", { class: "muted" }, "The statement returned no columns."),
    h("p", { class: "muted mono db-ran" }, sql));
}

function showRefusal(target, sql, status, body) {
  target.replaceChildren(h("div", { class: "db-refusal", dataset: { dbRefusal: body.error } },
    h("p", {}, statusBadge("error", CODE_WORDS[body.error] || body.error), ` (HTTP ${status})`),
    h("p", { class: "db-refusal-why" }, body.detail),
    body.database_error ? h("p", {}, body.refused_by === "console" ? "The console's own check said: " : "The database said: ",
      h("code", {}, body.database_error)) : null,
    h("p", { class: "muted mono db-ran" }, sql)));
}

export function mountConsole({ onRefusal }) {
  const form = document.querySelector("[data-db-console]");
  const input = form.querySelector("[data-db-sql]");
  const result = document.querySelector("[data-db-result]");
  const run = async () => {
    const sql = input.value;
    result.replaceChildren(h("p", { class: "muted" }, "Running…"));
    try {
      const { ok, status, body } = await postJSON("/api/database/query", { sql, request_id: crypto.randomUUID() });
      if (ok) return showRows(result, sql, body);
      showRefusal(result, sql, status, body);
      if (body.database_error) onRefusal?.(`Your query was refused or stopped — and nothing in Shop's database changed. ${body.detail}`);
    } catch (error) {
      result.replaceChildren(h("p", { class: "notice error" }, `The playground cannot be reached: ${error.message}`));
    }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  for (const button of document.querySelectorAll("[data-db-example]")) {
    button.addEventListener("click", () => { input.value = button.dataset.dbExample; run(); });
  }
  mountLookup();
}

function mountLookup() {
  const form = document.querySelector("[data-db-lookup]");
  const email = form.querySelector("[data-db-email]");
  const target = document.querySelector("[data-db-lookup-result]");
  const look = async () => {
    const { ok, status, body } = await postJSON("/api/database/lookup", { email: email.value, request_id: crypto.randomUUID() });
    if (!ok) return showRefusal(target, email.value, status, body);
    target.replaceChildren(...[
      h("p", {}, statusBadge(body.row_count ? "ok" : "pending", `${body.row_count} found`), " ", body.note),
      body.row_count ? rowsTable(body.columns, body.rows) : null,
      h("p", { class: "muted" }, "The SQL sent, with your text as a separate value:"),
      h("pre", {}, `${body.sql}\n-- :email = ${JSON.stringify(email.value)}`),
    ].filter(Boolean));
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); look(); });
  document.querySelector("[data-db-inject]").addEventListener("click", () => { email.value = "' OR 1=1 --"; look(); });
}
