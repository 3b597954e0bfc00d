// The inspector: one message in full (payload, headers, contract and validity) and every hop
// of its exchange as a timeline. Everything from the message is set as text.

import { formatMs, formatTime, h, statusBadge } from "./dom.js";
import { inRoom } from "./room-state.js";

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

export class Inspector {
  constructor(section) {
    this.section = section;
    this.body = section.querySelector("[data-inspector-body]");
    this.empty = section.querySelector("[data-inspector-empty]");
  }

  async show(id) {
    const response = await fetch(`/api/messages/${encodeURIComponent(id)}`);
    if (!response.ok) {
      this.render([h("p", { class: "notice error" }, `Message #${id} could not be loaded (${response.status}).`)]);
      return;
    }
    const { message: m, exchange } = await response.json();
    this.section.dataset.messageId = m.id;
    const validity = m.valid === null ? "no contract" : m.valid ? "✓ valid" : "✕ breaks the contract";
    const facts = [
      ["Message", `#${m.id} · ${m.kind} · ${m.hop}`],
      ["When", formatTime(m.created_at)],
      ["From → to", `${m.source} → ${m.target}`],
      ["Status", statusBadge(m.status, m.status_code ? `${m.status_code}` : undefined)],
      ["Attempt", String(m.attempt)],
      ["Contract", m.contract ? `${m.contract} — ${validity}` : "none"],
      ["Duration", formatMs(m.duration_ms)],
      ["Latency", m.latency_ms === null ? "—" : `${formatMs(m.latency_ms)} since the exchange began`],
      ["Exchange", m.correlation_id],
    ];
    if (m.error) facts.splice(6, 0, ["Error", m.error]);
    const dl = h("dl", {}, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    const timeline = h("ol", { class: "timeline", "aria-label": "Every hop of this exchange" },
      exchange.map((hop) => h("li", { class: hop.id === m.id ? "current" : "" },
        h("a", { href: `#${hop.id}`, onclick: (e) => { e.preventDefault(); this.show(hop.id); } },
          `${formatTime(hop.created_at)} · ${hop.source} → ${hop.target} · ${hop.hop}`),
        " ", statusBadge(hop.status, hop.status_code ? `${hop.status_code}` : undefined))));
    this.render([
      dl,
      h("h3", {}, "Every hop of this exchange"), timeline,
      h("h3", {}, "Payload"), h("pre", { "data-inspector-payload": "" }, pretty(m.payload)),
      h("h3", {}, "Headers"), h("pre", {}, Object.keys(m.headers).length ? pretty(m.headers) : "(none)"),
      h("a", { href: inRoom(`/messages/${m.id}/`) }, "Open this message on its own page"),
    ]);
  }

  render(children) {
    this.empty.hidden = true;
    this.body.hidden = false;
    this.body.replaceChildren(...children);
  }
}
