// The contracts page: the versioning demo and the message checker. Everything is set as text.

import { h, postJSON, statusBadge } from "../dom.js";
import { Feed } from "../feed.js";

const versioning = document.querySelector("[data-versioning]");
const result = versioning.querySelector("[data-versioning-result]");

function showVersioning(r) {
  const rows = r.consumers.map((c) => h("tr", { dataset: { consumer: c.consumer, ok: String(c.ok) } },
    h("td", {}, c.consumer + (c.strict ? " (strict reader)" : "")),
    h("td", {}, statusBadge(c.ok ? "ok" : "error", c.ok ? "keeps working" : "breaks")),
    h("td", {}, c.what)));
  const verdict = r.broken.length
    ? `Publishing v${r.to_version} breaks: ${r.broken.join(", ")}.`
    : `Publishing v${r.to_version}: every consumer keeps working.`;
  result.replaceChildren(
    h("p", { class: r.broken.length ? "valid-no" : "valid-yes", "data-versioning-verdict": "" }, verdict),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Consumer"), h("th", {}, "Result"), h("th", {}, "What happened"))), h("tbody", {}, rows)),
    r.schema_changes.length
      ? h("div", {}, h("h3", {}, `What changed from v${r.from_version} to v${r.to_version} (as a schema registry would report)`),
          h("ul", {}, r.schema_changes.map((c) => h("li", {}, `${c.change} — ${c.verdict}`))))
      : h("p", { class: "muted" }, "No schema change: this is the version everyone was written against."),
  );
}

for (const button of versioning.querySelectorAll("[data-versioning-change]")) {
  button.addEventListener("click", async () => {
    const { ok, body } = await postJSON("/api/contracts/versioning", { change: button.dataset.versioningChange });
    if (ok) showVersioning(body);
    else result.replaceChildren(h("p", { class: "notice error" }, body.detail));
  });
}

const checker = document.querySelector("[data-checker]");
const select = checker.querySelector("[data-checker-contract]");
const payload = checker.querySelector("[data-checker-payload]");
const answer = checker.querySelector("[data-checker-result]");
let examples = {};

async function loadExamples() {
  const response = await fetch("/api/contracts");
  if (!response.ok) return;
  examples = Object.fromEntries((await response.json()).map((c) => [c.name, c.examples[0] ?? {}]));
  fillExample();
}

function fillExample() {
  payload.value = JSON.stringify(examples[select.value] ?? {}, null, 2);
  answer.replaceChildren();
}

select.addEventListener("change", fillExample);
checker.querySelector("[data-checker-run]").addEventListener("click", async () => {
  let message;
  try { message = JSON.parse(payload.value); } catch (error) { answer.replaceChildren(statusBadge("error", "not JSON"), ` ${error.message}`); return; }
  if (typeof message !== "object" || message === null || Array.isArray(message)) { answer.replaceChildren(statusBadge("error", "not an object"), " a message is a JSON object { … }"); return; }
  const { ok, body } = await postJSON("/api/contracts/check", { contract: select.value, payload: message });
  if (!ok) answer.replaceChildren(statusBadge("error", "refused"), ` ${body.detail}`);
  else if (body.valid) answer.replaceChildren(statusBadge("ok", "meets the contract"));
  else answer.replaceChildren(statusBadge("error", "breaks the contract"), ` ${body.problem}`);
});
loadExamples();

// Live counts: every new message that claims a contract bumps that contract's "on the wire" line.
function bump(messages) {
  for (const m of messages) {
    if (!m.contract) continue;
    const line = document.querySelector(`[data-contract="${CSS.escape(m.contract.split("@")[0])}"] [data-wire]`);
    if (!line) continue;
    const n = Number(line.dataset.messages) + 1, bad = Number(line.dataset.invalid) + (m.valid === false ? 1 : 0);
    Object.assign(line.dataset, { messages: n, invalid: bad });
    line.querySelector("[data-wire-text]").textContent = `${n} message${n === 1 ? "" : "s"}: ${bad ? `✕ ${bad} broke it` : "✓ all met it"}`;
  }
}
new Feed({ onMessages: bump }).start();

// The cards start folded: a link to one (/contracts/#name, from a style page) opens it.
function openLinkedCard() {
  const card = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (card?.matches("details")) { card.open = true; card.scrollIntoView(); }
}
window.addEventListener("hashchange", openLinkedCard);
openLinkedCard();
