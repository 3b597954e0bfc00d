// File drop: Shop leaves a CSV at midnight, Accounting reads it at 08:00.
// This page wires the stage and log (stylepage.js) to the story clock, the four folders, a file
// viewer, the upload box and the data-age comparison. Everything re-reads GET /api/files when
// the feed says a file moved, so every open page in the room sees the same folders.

import { csrfToken } from "../dom.js";
import { act, mountStylePage, reportStatus } from "../stylepage.js";
import { startClock } from "./files/clock.js";
import { renderFolders, showAge } from "./files/folders.js";
import { openFile, setContract } from "./files/viewer.js";
import { mountUpload } from "./files/upload.js";

const story = document.querySelector("[data-files-story]");
const tell = (text) => { story.textContent = text; };

function caption(m) {
  const p = m.payload || {};
  switch (m.kind) {
    case "file.exported": return `${p.story_time}: Shop wrote ${p.file} (${p.rows} orders) to its outbox — temporary name, fsync, rename, then the manifest.`;
    case "file.delivered": return `${p.file} was delivered to Accounting's inbox, its manifest last. It waits there for the next pickup.`;
    case "file.uploaded": return `You put ${p.file} (${p.rows} rows) in Accounting's inbox.`;
    case "file.partial": return `${p.story_time}: Shop's writer died half-way through ${p.file}: ${p.rows} rows and no manifest.`;
    case "pickup.checked": return `${p.story_time}: Accounting checked its inbox. ${p.note}`;
    case "file.imported": return p.outcome === "duplicate"
      ? `${p.file}: already imported before (same checksum) — nothing imported twice.`
      : `${p.file}: ${p.imported} rows imported${p.refused ? `, ${p.refused} refused` : ""}${p.age ? `; the data is ${p.age} old` : ""}.`;
    case "file.rejected": return `${p.file} was rejected: ${p.reason}`;
    case "row.imported": return `Line ${p.line} of ${p.file}: order ${p.order_id} booked.`;
    case "row.refused": return `Line ${p.line} of ${p.file} refused — ${p.reason}`;
    case "rows.summary": return `${p.file}: ${p.not_recorded} more rows counted, not logged one by one (only the first ones are).`;
    default: return `${m.kind}`;
  }
}

function short(m) {
  const p = m.payload || {};
  switch (m.kind) {
    case "file.exported": return `Shop wrote ${p.file} (${p.rows} rows)`;
    case "file.delivered": return `Delivered ${p.file} to the inbox`;
    case "file.uploaded": return `You uploaded ${p.file}`;
    case "file.partial": return `✕ Writer died: ${p.file}`;
    case "pickup.checked": return `Pickup ${p.story_time}: ${p.found} file(s)${p.missing ? ", today's is missing" : ""}`;
    case "file.imported": return p.outcome === "duplicate" ? `Duplicate ${p.file}: 0 imported` : `Imported ${p.file}: ${p.imported} rows`;
    case "file.rejected": return `✕ Rejected ${p.file}`;
    case "row.imported": return `Line ${p.line}: order ${p.order_id}`;
    case "row.refused": return `✕ Line ${p.line}: ${p.column || "row"}`;
    case "rows.summary": return `+${p.not_recorded} rows (counted)`;
    default: return m.kind;
  }
}

const clock = startClock(document.querySelector("[data-files-clock]"));

let refreshTimer = null;
async function refresh() {
  const response = await fetch("/api/files", { credentials: "same-origin" });
  if (!response.ok) return null;
  const data = await response.json();
  setContract(data.contract);
  renderFolders(data.files, openFile);
  showAge(data.latest);
  clock.sync(data.clock);
  if (!rejectedShown) markRejected(data.files.filter((f) => f.folder === "rejected")[0]?.name);
  return data;
}

// A refused file stays on the stage: the Rejected folder turns red and names the file, so the
// failure is still there after its dot has flown.
let rejectedShown = false;
function markRejected(file) {
  if (!file) return;
  rejectedShown = true;
  const node = document.querySelector('[data-stage="stage"] [data-node="rejected"]');
  if (!node) return;
  node.dataset.rejected = "true";
  const sub = node.querySelector(".node-sub");
  if (sub) sub.textContent = `✕ ${file.length > 20 ? `${file.slice(0, 19)}…` : file}`;
}
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 250);
}

mountStylePage({
  style: "files",
  nodes: [
    { id: "shop", label: "Shop", sub: "exports at 00:00", x: 140, y: 55 },
    { id: "you", label: "You", sub: "upload a file", x: 500, y: 55 },
    { id: "accounting", label: "Accounting", sub: "reads at 08:00", x: 860, y: 55 },
    { id: "outbox", label: "Outbox", sub: "Shop's folder", x: 140, y: 225 },
    { id: "inbox", label: "Inbox", sub: "Accounting's folder", x: 500, y: 225 },
    { id: "books", label: "Books", sub: "Accounting's tables", x: 860, y: 225 },
    { id: "rejected", label: "Rejected", sub: "nothing refused yet", x: 500, y: 385 },
  ],
  edges: [
    { from: "shop", to: "outbox", label: "write CSV + manifest" },
    { from: "outbox", to: "inbox", label: "deliver" },
    { from: "shop", to: "inbox", label: "careless writer", via: { x: 430, y: 90 } },
    { from: "you", to: "inbox", label: "upload" },
    { from: "inbox", to: "accounting", label: "read" },
    { from: "accounting", to: "books", label: "book rows" },
    { from: "inbox", to: "rejected", label: "refused: moved aside" },
  ],
  // A refused file does not reach the books: Accounting moves it from the inbox to Rejected.
  route: (m) => (m.kind === "file.rejected"
    ? { from: "inbox", to: "rejected", label: "✕ rejected" }
    : { from: m.source, to: m.target, label: m.hop }),
  onArrive: (m) => { if (m.kind === "file.rejected") markRejected(m.payload?.file); },
  describe: caption,
  logDescribe: short,
  onMessages(messages, frame) {
    if (frame.initial) return;
    if (messages.some((m) => !m.kind.startsWith("row"))) refreshSoon();
    const last = [...messages].reverse().find((m) => ["pickup.checked", "file.rejected", "file.partial"].includes(m.kind));
    if (last) tell(caption(last));
  },
});

async function busy(button, work) {
  button.disabled = true;
  try { return await work(); } finally { button.disabled = false; }
}

document.querySelector("[data-files-export]").addEventListener("click", (event) => busy(event.currentTarget, async () => {
  const bom = document.querySelector("[data-files-bom]").checked;
  await act("/api/files/export", { bom }, {
    done: (b) => `${b.new_orders ? `Shop took ${b.new_orders} new orders since its last export, then exported` : "Shop exported"} ${b.file}: ${b.rows} orders, ${b.bytes} bytes${bom ? ", with a BOM" : ""}. It waits in Accounting's inbox.`,
  });
  refresh();
}));

document.querySelector("[data-files-pickup]").addEventListener("click", (event) => busy(event.currentTarget, async () => {
  const result = await act("/api/files/pickup", {}, { done: (b) => `Accounting checked its inbox. ${b.note}` });
  if (result.ok) tell(result.body.note);
  await refresh();
  const first = result.body?.reports?.[0];
  if (first) openFile(first.file, first.moved_to);
}));

const toggle = document.querySelector("[data-files-clock-toggle]");
toggle.addEventListener("click", () => busy(toggle, async () => {
  const running = toggle.getAttribute("aria-pressed") !== "true";
  const result = await act("/api/files/clock", { running }, {
    done: (c) => (c.running ? `The story clock runs: it is ${c.label}.` : `The story clock is paused at ${c.label}; nothing runs on schedule.`),
  });
  if (result.ok) clock.sync(result.body);
}));

for (const button of document.querySelectorAll("[data-files-demo]")) {
  button.addEventListener("click", () => busy(button, async () => {
    const result = await act("/api/files/demo", { scenario: button.dataset.filesDemo }, { done: (b) => b.detail });
    if (!result.ok) return;
    tell(result.body.detail);
    await refresh();
    const read = result.body.pickup?.reports?.[0];
    if (read) openFile(read.file, read.moved_to);
    else if (result.body.file) openFile(result.body.file, "inbox");
  }));
}

mountUpload({
  csrf: csrfToken,
  onDone: async (name, pickup) => {
    if (pickup) tell(pickup.note);
    await refresh();
    const read = pickup?.reports?.find((r) => r.file.startsWith(name.replace(/\.csv$/, "")));
    if (read) openFile(read.file, read.moved_to);
    else openFile(name, "inbox");
  },
  report: reportStatus,
});

refresh();
