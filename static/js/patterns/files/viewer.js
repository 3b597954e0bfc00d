// One file opened: its report (outcome, reason, refused lines) and its first rows as a table with
// physical line numbers (the header is line 1), refused lines marked.

import { h } from "../../dom.js";
import { entryOf, stateBadge } from "./folders.js";

const viewer = document.querySelector("[data-files-viewer]");
let expected = null; // the contract's column names: a header cell outside them is marked

export function setContract(contract) {
  expected = new Set(contract.columns.map((c) => c.name));
}

function reportBox(f) {
  const r = f.report;
  if (!r) {
    return h("div", { class: "files-report", dataset: { outcome: f.state } },
      h("p", {}, h("strong", {}, f.explain[0].toUpperCase() + f.explain.slice(1) + ".")));
  }
  const lines = [];
  if (r.outcome === "imported") lines.push(h("p", {}, h("strong", {}, `${r.imported} of ${r.rows_in_file} rows imported`), r.refused ? `, ${r.refused} refused:` : "."));
  else lines.push(h("p", {}, h("strong", {}, r.outcome === "duplicate" ? "Nothing imported: " : "Rejected: "), r.reason));
  if (r.bad_rows?.length) {
    lines.push(h("ul", { dataset: { filesBadRows: "" } }, r.bad_rows.map((b) => h("li", {}, h("strong", {}, `Line ${b.line}: `), b.reason))));
    if (r.refused > r.bad_rows.length) lines.push(h("p", { class: "muted" }, `… and ${r.refused - r.bad_rows.length} more (all in the report file).`));
  }
  if (r.age) lines.push(h("p", { class: "muted" }, `Written ${r.written_label}, read ${r.read_label}: the data was ${r.age} old.`));
  return h("div", { class: "files-report", dataset: { outcome: r.outcome, filesReport: "" } }, ...lines);
}

function table(data, bad) {
  if (data.error && !data.rows.length) return h("p", { class: "files-error" }, `This file cannot be shown as a table: ${data.error}`);
  const body = data.rows.map((r) => h("tr", { class: bad.has(r.line) ? "files-bad" : "" },
    h("td", { class: "files-line" }, r.line), r.cells.map((c) => h("td", {}, c))));
  return h("div", {},
    h("div", { class: "files-scroll" }, h("table", { class: "files-table", dataset: { filesTable: "" } },
      h("caption", { class: "visually-hidden" }, "The file's rows as written, with physical line numbers"),
      h("thead", {}, h("tr", {}, h("th", { class: "files-line", scope: "col", title: "the header is line 1" }, "line 1"), data.header.map((c) => (expected && !expected.has(c)
        ? h("th", { scope: "col", class: "files-bad-col", title: "not a column of the contract" }, `✕ ${c}`)
        : h("th", { scope: "col" }, c))))),
      h("tbody", {}, body))),
    h("p", { class: "muted" }, data.truncated ? `The first ${data.rows.length} rows; download the file for all of them.` : `All ${data.rows.length} rows.`,
      " Cells are shown as written: a leading ' is the formula guard."));
}

export async function openFile(name, folder, focus = false) {
  const f = entryOf(name, folder);
  if (!f) return;
  viewer.dataset.open = `${f.folder}/${name}`;
  for (const b of document.querySelectorAll("[data-file]")) {
    b.setAttribute("aria-current", String(b.dataset.file === name && b.closest("[data-folder]").dataset.folder === f.folder));
  }
  const where = `folder=${f.folder}`;
  const response = await fetch(`/api/files/${encodeURIComponent(name)}/rows?limit=200&${where}`, { credentials: "same-origin" });
  const data = response.ok ? await response.json() : { error: "it is gone (moved or removed)", header: [], rows: [] };
  const bad = new Set((f.report?.bad_rows || []).map((b) => b.line));
  const links = [h("a", { class: "button secondary", href: `/api/files/${encodeURIComponent(name)}?${where}`, download: name }, "Download the CSV")];
  if (f.manifest) links.push(h("a", { class: "button secondary", href: `/api/files/${encodeURIComponent(name)}.manifest.json?${where}` }, "Manifest"));
  if (f.report) links.push(h("a", { class: "button secondary", href: `/api/files/${encodeURIComponent(f.report.report_file)}?${where}` }, "Report"));
  viewer.replaceChildren(
    h("div", { class: "files-viewer-head" }, h("h3", {}, name), stateBadge(f.state), h("span", { class: "muted" }, `in ${f.folder}/ · ${f.bytes} bytes`), ...links),
    reportBox(f), table(data, bad));
  if (focus) document.getElementById("viewer").focus();
}
