// The four folders as lists of file cards, and the data-age box. Rendered from GET /api/files.

import { h } from "../../dom.js";

const STATE_WORDS = {
  sent: ["ok", "sent"], ready: ["pending", "waiting for pickup"], incomplete: ["error", "no manifest"],
  writing: ["pending", "being written"], imported: ["ok", "imported"], duplicate: ["pending", "duplicate"],
  rejected: ["error", "rejected"],
};
let known = null; // names seen at the last render (new ones flash once)
let latest = [];

export function entryOf(name, folder) {
  return latest.find((f) => f.name === name && (!folder || f.folder === folder));
}

export function stateBadge(state) {
  const [status, word] = STATE_WORDS[state] || ["pending", state];
  return h("span", { class: `status status-${status} files-state` }, word);
}

function detail(f) {
  const r = f.report;
  if (r?.outcome === "imported") return `${r.imported} imported${r.refused ? `, ${r.refused} refused` : ""}${r.age ? ` · ${r.age} old` : ""}`;
  if (r?.outcome === "rejected") return r.column ? `rejected: column ${r.column}` : "rejected: see the report";
  if (r?.outcome === "duplicate") return "0 imported: seen before";
  const rows = f.rows === null || f.rows === undefined ? "? rows" : `${f.rows} rows`;
  return `${rows}${f.written ? ` · written ${f.written}` : ""}`;
}

export function renderFolders(files, onOpen) {
  latest = files;
  const seen = new Set();
  for (const box of document.querySelectorAll("[data-folder]")) {
    const list = box.querySelector("[data-folder-list]");
    const mine = files.filter((f) => f.folder === box.dataset.folder);
    box.querySelector("[data-folder-count]").textContent = mine.length;
    const current = document.querySelector("[data-files-viewer]")?.dataset.open;
    const key = (f) => `${f.folder}/${f.name}`;
    list.replaceChildren(...(mine.length ? mine.map((f) => {
      seen.add(`${f.folder}/${f.name}`);
      const button = h("button", { type: "button", title: f.explain, "aria-current": key(f) === current ? "true" : "false",
        dataset: { file: f.name, state: f.state }, onclick: () => onOpen(f.name, f.folder, true) },
        h("span", { class: "files-name" }, f.name), stateBadge(f.state), h("span", { class: "muted" }, detail(f)));
      return h("li", { class: known && !known.has(`${f.folder}/${f.name}`) ? "fresh" : "" }, button);
    }) : [h("li", { class: "muted", dataset: { folderEmpty: "" } }, emptyText(box.dataset.folder))]));
  }
  known = seen;
}

function emptyText(folder) {
  return {
    outbox: "Empty — Shop has not exported yet.",
    inbox: "Empty — nothing waiting for Accounting.",
    processed: "Empty — Accounting has not read a file yet.",
    rejected: "Empty — no file refused so far.",
  }[folder];
}

export function showAge(latestImport) {
  const box = document.querySelector("[data-files-age]");
  if (!latestImport) return;
  box.replaceChildren(
    h("h3", {}, "Through the file"),
    h("p", {}, "Written ", h("strong", {}, latestImport.written || "?"), ", read ", h("strong", {}, latestImport.read || "?"), ":"),
    h("p", { class: "files-age-big", dataset: { filesAgeValue: "" } }, `${latestImport.age} old`),
    h("p", { class: "muted" }, `${latestImport.file} — and an order placed just after the export waits a whole extra day.`),
  );
}
