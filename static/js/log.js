// A live log: ledger messages newest first, each a button that opens the inspector.
// New rows are added once per animation frame, and the list keeps at most `max` rows.

import { formatTime, h, statusBadge } from "./dom.js";

function describeHop(m) {
  return `${m.source} → ${m.target} · ${m.kind} · ${m.hop}` + (m.attempt > 1 ? ` (attempt ${m.attempt})` : "");
}

export class LiveLog {
  constructor(list, { describe = describeHop, onSelect, max = 200 } = {}) {
    this.list = list;
    this.describe = describe;
    this.onSelect = onSelect || (() => {});
    this.max = max;
    this.queue = [];
    this.empty = list.querySelector("[data-log-empty]");
    list.addEventListener("keydown", (event) => this.arrowKeys(event));
  }

  add(messages) {
    if (!messages.length) return;
    if (!this.queue.length) requestAnimationFrame(() => this.flush());
    this.queue.push(...messages);
  }

  flush() {
    const batch = this.queue.splice(0).slice(-this.max);
    if (this.empty) this.empty.hidden = true;
    const fragment = document.createDocumentFragment();
    for (const m of batch.reverse()) fragment.append(this.row(m));
    this.list.prepend(fragment);
    const rows = this.list.querySelectorAll("li[data-message-id]");
    for (let i = this.max; i < rows.length; i++) rows[i].remove();
  }

  row(m) {
    const button = h("button", {
      type: "button", class: "row", dataset: { messageId: m.id },
      onclick: () => this.select(m.id, button),
    },
      h("span", { class: "mono" }, `#${m.id}`),
      h("span", { class: "mono" }, formatTime(m.created_at)),
      h("span", { class: "what", title: this.describe(m) }, this.describe(m)),
      statusBadge(m.status, m.status_code ? `${m.status_code}` : undefined),
    );
    return h("li", { class: "fresh", dataset: { messageId: m.id, status: m.status } }, button);
  }

  select(id, button) {
    // aria-current, not aria-selected: a button cannot be selected, but it can be the one shown.
    for (const b of this.list.querySelectorAll('[aria-current="true"]')) b.removeAttribute("aria-current");
    button?.setAttribute("aria-current", "true");
    this.onSelect(id);
  }

  arrowKeys(event) {
    if (!["ArrowDown", "ArrowUp"].includes(event.key)) return;
    const buttons = [...this.list.querySelectorAll("button.row")];
    const i = buttons.indexOf(document.activeElement);
    const next = buttons[i + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) { event.preventDefault(); next.focus(); }
  }
}
