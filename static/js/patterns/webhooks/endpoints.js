// Endpoints: who gets called. Add, rotate, disable / re-enable, delete. A secret is shown only to
// whoever holds this world's key (the room's instructor; the owner for the shared demo). When
// Shop's own endpoint is disabled, a line under the stage says so and offers to re-enable it.

import { h, statusBadge } from "../../dom.js";
import { roomHeaders } from "../../room-state.js";
import { act } from "../../stylepage.js";

export function mountEndpoints() {
  const list = document.querySelector("[data-endpoint-list]");
  const secretBox = document.querySelector("[data-new-secret]");
  const form = document.querySelector("[data-endpoint-form]");
  const problem = document.querySelector("[data-endpoint-problem]");
  const shopOff = document.querySelector("[data-shop-disabled]");
  const shopWhy = document.querySelector("[data-shop-disabled-why]");
  let shop = null;

  function showSecret(title, secret) {
    secretBox.hidden = false;
    if (!secret) {
      secretBox.replaceChildren(h("b", {}, title), " Its secret is shown only to whoever holds this room's key: the instructor (the owner, outside a room).");
      return;
    }
    secretBox.replaceChildren(h("b", {}, title), " Copy it into the receiver's configuration: ",
      h("code", { "data-secret": "" }, secret));
  }

  function showShop(endpoints) {
    shop = endpoints.find((e) => e.builtin) || null;
    shopOff.hidden = !shop?.disabled;
    shopWhy.textContent = shop?.disabled ? ` (${shop.disabled_reason})` : "";
  }

  function button(text, title, onclick, cls = "secondary") {
    return h("button", { type: "button", class: cls, title, onclick }, text);
  }

  function row(e) {
    const label = e.builtin ? "Shop (built-in endpoint)" : e.description || e.url;
    const actions = [
      button("Rotate secret", "Make a new secret; for a story day both the old and the new one sign", async () => {
        const r = await act(`/api/webhooks/endpoints/${e.id}/rotate-secret`, {}, { done: (b) => `New secret made; both sign for ${b.window}.` });
        if (r.ok) { showSecret(`New secret for ${label}.`, r.body.secret); refresh(); }
      }),
      e.disabled
        ? button("Re-enable", "Start delivering to it again (its waiting deliveries go out)", () => patch(e, { disabled: false }), "")
        : button("Disable", "Stop delivering to it", () => patch(e, { disabled: true })),
    ];
    if (!e.builtin) actions.push(button("Delete", "Remove this endpoint and its deliveries", async () => {
      const r = await act(`/api/webhooks/endpoints/${e.id}`, {}, { method: "DELETE", done: () => "Endpoint deleted." });
      if (r.ok || r.status === 204) refresh();
    }, "danger"));
    return h("li", { dataset: { endpointId: e.id, disabled: String(e.disabled) } },
      h("div", { class: "wh-delivery-head" }, e.disabled ? statusBadge("error", "disabled") : statusBadge("ok", "enabled"),
        h("b", {}, label)),
      h("div", { class: "mono wh-url" }, e.url),
      h("div", { class: "muted" }, `wants: ${e.event_types.length ? e.event_types.join(", ") : "every event"} · secret ${e.secret_hint}`
        + (e.rotating_until ? " · rotating: two signatures" : "") + ` · disabled after ${e.disable_after} dead messages in a row`),
      e.disabled ? h("div", { class: "wh-delivery-error" }, `Disabled: ${e.disabled_reason}`) : null,
      h("div", { class: "control-row" }, actions));
  }

  async function patch(e, body) {
    const r = await act(`/api/webhooks/endpoints/${e.id}`, body, { method: "PATCH",
      done: (b) => (b.disabled ? "Endpoint disabled: nothing is sent to it." : "Endpoint enabled again: its waiting deliveries go out now.") });
    if (r.ok) refresh();
  }

  async function refresh() {
    const response = await fetch("/api/webhooks/endpoints", { headers: roomHeaders() });
    if (!response.ok) return;
    const endpoints = await response.json();
    list.replaceChildren(...endpoints.map(row));
    showShop(endpoints);
  }

  document.querySelector("[data-shop-reenable]").addEventListener("click", () => { if (shop) patch(shop, { disabled: false }); });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { url: data.get("url"), description: data.get("description"), event_types: data.getAll("event_types") };
    const r = await act("/api/webhooks/endpoints", body, { done: (b) => `Endpoint #${b.id} added.` });
    problem.textContent = r.ok ? "" : `Refused: ${r.body?.detail || "no answer"}`;
    if (r.ok) { showSecret(`Secret for ${r.body.description || r.body.url}.`, r.body.secret); form.reset(); refresh(); }
  });
  refresh();
  return { refresh };
}
