// Beside the inspector: for a delivery attempt, does its signature verify, and the request as curl.

import { roomHeaders } from "../../room-state.js";

const body = document.querySelector("[data-check-body]");
const empty = document.querySelector("[data-check-empty]");

async function check(id) {
  const response = await fetch(`/api/webhooks/check/${encodeURIComponent(id)}`, { headers: roomHeaders() });
  if (!response.ok) {
    body.hidden = true;
    empty.hidden = false;
    return;
  }
  const result = await response.json();
  const line = document.querySelector("[data-check-result]");
  line.textContent = `${result.detail}. ${result.signatures === 2 ? "Two signatures: a secret is being rotated." : ""}`;
  line.className = result.verified ? "valid-yes" : "valid-no";
  document.querySelector("[data-curl]").textContent = result.curl;
  document.querySelector("[data-copy-state]").textContent = "";
  empty.hidden = true;
  body.hidden = false;
}

export function mountSignatureCheck(inspector) {
  // The shared inspector marks the message it shows; follow it.
  new MutationObserver(() => check(inspector.section.dataset.messageId))
    .observe(inspector.section, { attributes: true, attributeFilter: ["data-message-id"] });
  document.querySelector("[data-copy-curl]").addEventListener("click", async () => {
    const text = document.querySelector("[data-curl]").textContent;
    const state = document.querySelector("[data-copy-state]");
    try {
      await navigator.clipboard.writeText(text);
      state.textContent = "Copied. It works for 5 minutes; after that the receiver refuses the old timestamp.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector("[data-curl]"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      state.textContent = "Selected: press Ctrl+C (the clipboard is not available here).";
    }
  });
}
