// Direct database access: Reporting reads Shop's tables straight from Shop's database.
// This page wires the stage and log (stylepage.js) to four panels: the two dashboards, Shop's
// schema, what the intruder sees, and the read-only console. A schema change made by anyone in
// the room arrives over the feed and refreshes the dashboards on every open page.

import { formatMs } from "../dom.js";
import { act, mountStylePage, reportStatus } from "../stylepage.js";
import { mountConsole } from "./database/console.js";
import { loadBoard, loadBoards } from "./database/dashboard.js";
import { loadExposure } from "./database/exposure.js";
import { loadSchema } from "./database/schema.js";

const story = document.querySelector("[data-db-story]");
const tell = (text) => { story.textContent = text; };

function caption(m) {
  const p = m.payload || {};
  if (m.kind === "report.query") {
    return m.status === "error"
      ? `Reporting's “${(p.panel || "").replaceAll("_", " ")}” query broke on Shop's database: ${m.error}`
      : `Reporting read Shop's tables directly (${(p.panel || "").replaceAll("_", " ")}): ${p.rows} row(s) in ${formatMs(m.duration_ms)}.`;
  }
  if (m.kind === "report.api_call") return `Reporting asked Shop's API: GET ${p.path} → ${p.status}, ${p.rows} item(s).`;
  if (m.kind === "schema.change") return p.ran ? `Shop shipped a change to its tables: ${p.title}.` : `${p.title}: nothing to do, it was already so.`;
  if (m.kind === "console.lookup") return `Someone looked up a customer by email: ${p.rows} found.`;
  return m.status === "error" ? `The database refused a console query: ${m.error}` : `A console query read ${p.rows} row(s).`;
}

// One line per message in the narrow live log; the stage caption tells the full sentence.
function short(m) {
  const p = m.payload || {};
  const how = m.status === "error" ? `✕ ${m.error}` : `${p.rows} row(s)`;
  if (m.kind === "report.query") return `SQL ${(p.panel || "").replaceAll("_", " ")}: ${how}`;
  if (m.kind === "report.api_call") return `API GET ${(p.path || "").split("?")[0].split("/").pop()}: ${m.status === "error" ? m.error : `${p.rows} item(s)`}`;
  if (m.kind === "schema.change") return `Shop ships ${p.change}${p.ran ? "" : " (nothing to do)"}`;
  if (m.kind === "console.lookup") return `Lookup by email: ${how}`;
  return `You: ${(p.sql || "").slice(0, 60)}`;
}

const { stage } = mountStylePage({
  style: "database",
  nodes: [
    // Only Shop's API and its database ever receive, so only they show counters (below them).
    { id: "shop-api", label: "Shop's API", sub: "agreed fields only", x: 500, y: 50 },
    { id: "shop", label: "Shop's team", sub: "ships changes", x: 870, y: 50 },
    { id: "reporting", label: "Reporting", sub: "the dashboard", x: 130, y: 180 },
    { id: "shop-db", label: "Database", sub: "Shop's own tables", x: 870, y: 180 },
    { id: "console", label: "You", sub: "SQL console", x: 500, y: 292 },
  ],
  edges: [
    { from: "reporting", to: "shop-db", label: "SQL, straight into the tables" },
    { from: "reporting", to: "shop-api", label: "HTTP request" },
    { from: "shop-api", to: "shop-db", label: "Shop's own code" },
    { from: "console", to: "shop-db", label: "read-only SQL" },
    { from: "shop", to: "shop-db", label: "migration" },
  ],
  describe: caption,
  logDescribe: short,
  onMessages(messages, frame) {
    const changed = !frame.initial && messages.some((m) => m.kind === "schema.change" && m.payload?.ran && !ownChanges.has(m.id));
    if (changed) scheduleRefresh();
  },
});

const ownChanges = new Set(); // ledger ids of changes this page shipped (it refreshes itself)
let timers = [];
function scheduleRefresh() {
  // Someone in the room shipped a change. Every open page refreshes, spread out so a full room
  // does not ask at once: the direct dashboard and the schema soon (they are what changed), the
  // API side later (it is cheap to show but costs Shop's API a few requests per page).
  timers.forEach(clearTimeout);
  const soon = 300 + Math.random() * 1000, later = 1000 + Math.random() * 4000;
  timers = [setTimeout(() => { loadBoard("direct"); loadSchema(); }, soon),
            setTimeout(() => { loadBoard("api"); loadExposure(); }, later)];
}

async function refreshAll() {
  await Promise.all([loadBoards(), loadSchema(), loadExposure()]);
}

// The button is named up front: an event's currentTarget is null once the handler has awaited.
const refreshButton = document.querySelector("[data-db-refresh]");
refreshButton.addEventListener("click", async () => {
  refreshButton.disabled = true;
  try {
    const [direct, api] = await loadBoards();
    reportStatus(`Refreshed: direct SQL ${direct?.ok ? "works" : "is broken"}, Shop's API ${api?.ok ? "works" : "is broken"}.`, direct?.ok && api?.ok ? "ok" : "error");
  } finally {
    refreshButton.disabled = false;
  }
});

for (const button of document.querySelectorAll("[data-db-change]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    const change = button.dataset.dbChange;
    const result = await act("/api/database/schema", { change, request_id: crypto.randomUUID() }, {
      done: (body) => (change === "restore"
        ? (body.ran ? "Shop restored its original schema." : "Shop's schema was already the original.")
        : (body.ran ? `Shop shipped: ${button.textContent}. Watch the dashboards.` : "Shop had already shipped this change.")),
    });
    if (result.ok) ownChanges.add(result.body.message_id);
    await refreshAll(); // also sets which change buttons are available (loadSchema)
    if (result.ok) tell(storyOf(change, document.querySelector('[data-db-board="direct"]').dataset.ok === "true"));
  });
}

function storyOf(change, directOk) {
  if (change === "restore") return "Shop put its tables back as they were. Reporting's SQL matches them again, so both dashboards agree once more.";
  return directOk
    ? "Shop changed its tables, yet Reporting's SQL still runs — this time. The next change may not be so kind."
    : "Shop changed its own tables, as it is entitled to. Reporting's SQL still names the old columns, so the database rejects it (see the red error). The API dashboard did not notice anything: Shop's API code changed together with the tables and still returns the agreed fields.";
}

// Reporting's SQL broken by Shop's change: a badge on Reporting for as long as it stays broken.
const direct = document.querySelector('[data-db-board="direct"]');
const showBroken = () => stage.setState("reporting", direct.dataset.ok === "false"
  ? { badge: "BROKEN", tone: "error", title: "Reporting's SQL no longer matches Shop's tables" } : null);
new MutationObserver(showBroken).observe(direct, { attributes: true, attributeFilter: ["data-ok"] });
showBroken();

mountConsole({ onRefusal: (text) => tell(text) });
refreshAll();
