// The four live panels: ticker prices, chat, the match with its comments, and the activity of the
// other styles. Everything typed by people is set with textContent: an <img onerror> stays text.

import { formatTime, h } from "../../dom.js";

const MAX_LINES = 150;
const EVENT_WORDS = { kickoff: "Kick-off", chance: "Chance", goal: "GOAL", card: "Card", halftime: "Half-time",
  substitution: "Substitution", fulltime: "Full-time", stopped: "Stopped" };

function append(list, items, newestFirst = false) {
  if (!items.length) return;
  list.querySelector("[data-empty]")?.remove();
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 60; // reading the newest: keep up
  const fragment = document.createDocumentFragment();
  for (const item of newestFirst ? items.reverse() : items) fragment.append(item);
  if (newestFirst) list.prepend(fragment); else list.append(fragment);
  const rows = list.querySelectorAll("li[data-seq], li[data-id]");
  const extra = rows.length - MAX_LINES;
  for (let i = 0; i < extra; i++) (newestFirst ? rows[rows.length - 1 - i] : rows[i]).remove();
  if (!newestFirst && stick) list.scrollTop = list.scrollHeight;
}

export class TickerPanel {
  constructor(root) {
    this.cards = new Map([...root.querySelectorAll("[data-symbol]")].map((el) => [el.dataset.symbol, el]));
    this.seq = root.querySelector('[data-last-seq="ticker"]');
    this.note = root.querySelector("[data-ticker-note]");
  }

  show(events) {
    const latest = new Map(); // only the last price of each symbol is drawn this frame
    for (const e of events) latest.set(e.data.symbol, e);
    for (const [symbol, e] of latest) {
      const card = this.cards.get(symbol);
      if (!card) continue;
      const up = e.data.change >= 0;
      card.querySelector("[data-price]").textContent = e.data.price.toFixed(2);
      const change = card.querySelector("[data-change]");
      change.textContent = `${up ? "▲" : "▼"} ${Math.abs(e.data.change).toFixed(2)}%`;
      card.dataset.direction = up ? "up" : "down";
    }
    this.seq.textContent = `#${events[events.length - 1].seq}`;
  }

  say(text) { this.note.textContent = text; }
}

export class ChatPanel {
  constructor(root) {
    this.list = root.querySelector("[data-chat-list]");
    this.seq = root.querySelector('[data-last-seq="chat"]');
  }

  show(events) {
    append(this.list, events.map((e) => h("li", { dataset: { seq: e.seq } },
      h("span", { class: "s-meta mono" }, `#${e.seq} ${formatTime(new Date(e.t).toISOString()).slice(0, 8)}`),
      h("strong", { class: "s-nick" }, e.data.nick), " ", h("span", { class: "s-text" }, e.data.text))));
    this.seq.textContent = `#${events[events.length - 1].seq}`;
  }
}

export class MatchPanel {
  constructor(root) {
    this.list = root.querySelector("[data-match-list]");
    this.score = root.querySelector("[data-score-value]");
    this.minute = root.querySelector("[data-minute]");
    this.seq = root.querySelector('[data-last-seq="match"]');
  }

  show(events) {
    append(this.list, events.map((e) => {
      const d = e.data;
      if (d.type === "comment") {
        return h("li", { class: "s-comment", dataset: { seq: e.seq } }, h("span", { class: "s-meta mono" }, `#${e.seq}`),
          h("span", { class: "s-tag" }, "Comment"), " ", h("strong", { class: "s-nick" }, d.nick), " ", h("span", { class: "s-text" }, d.text));
      }
      this.score.textContent = d.score;
      this.minute.textContent = d.event === "fulltime" ? "full-time" : d.event === "stopped" ? "stopped" : `${d.minute}′`;
      return h("li", { class: `s-event s-event-${d.event}`, dataset: { seq: e.seq } },
        h("span", { class: "s-meta mono" }, `#${e.seq} ${d.minute}′`),
        h("strong", { class: "s-tag" }, EVENT_WORDS[d.event] || d.event), d.team ? ` ${d.team} — ` : " — ", d.text);
    }));
    this.seq.textContent = `#${events[events.length - 1].seq}`;
  }
}

const STYLE_NAMES = { api: "API", files: "File drop", webhooks: "Webhooks", queue: "Queue", database: "Database", ping: "Ping" };

export class ActivityPanel {
  constructor(root) { this.list = root.querySelector("[data-activity]"); }

  show(messages) {
    const rows = messages.filter((m) => m.style !== "streams").slice(-MAX_LINES).map((m) => h("li", { dataset: { id: m.id }, class: `s-act s-act-${m.status}` },
      h("span", { class: "s-meta mono" }, formatTime(m.created_at).slice(0, 8)),
      h("strong", {}, STYLE_NAMES[m.style] || m.style), ` · ${m.kind} · ${m.source} → ${m.target} (${m.hop})`));
    append(this.list, rows, true);
  }
}

export function updateTable(table, connection) {
  for (const [stream, stats] of Object.entries(connection.stats)) {
    const row = table.querySelector(`[data-stream-row="${stream}"]`);
    if (!row) continue;
    row.querySelector('[data-col="last"]').textContent = connection.cursor[stream] ?? 0;
    for (const col of ["live", "replayed", "gaps", "duplicates"]) row.querySelector(`[data-col="${col}"]`).textContent = stats[col];
    if (stream === "ticker") row.querySelector('[data-col="skipped"]').textContent = stats.skipped;
    row.dataset.complete = String(stats.gaps === 0 && stats.duplicates === 0);
  }
}
