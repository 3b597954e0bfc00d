// Shop's receiver mode (a radio group everyone in the room shares) and the attack buttons.

import { act } from "../../stylepage.js";

export function mountReceiver() {
  const radios = [...document.querySelectorAll("[data-mode]")];
  const show = (mode) => { for (const r of radios) r.checked = r.value === mode; };
  for (const radio of radios) {
    radio.addEventListener("change", async () => {
      if (!radio.checked) return;
      const result = await act("/api/webhooks/receiver", { mode: radio.value }, {
        method: "PUT", done: (body) => `Shop's receiver is now: ${body.modes[body.mode]}.${body.detail ? ` ${body.detail}` : ""}`,
      });
      if (!result.ok) show(radios.find((r) => r.defaultChecked)?.value);
    });
  }
  for (const button of document.querySelectorAll("[data-attack]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await act(`/api/webhooks/attacks/${button.dataset.attack}`, {}, { done: (body) => `Sent: ${body.detail}. Watch Shop's verdict.` });
      } finally {
        button.disabled = false;
      }
    });
  }
  return { show };
}
