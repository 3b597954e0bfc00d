// Predict first: the instructor asks and moves a question on, students vote with one tap, a
// learner alone predicts and fires. The page follows the room's feed: a question opened, a vote
// cast or an outcome measured makes it ask the API again (the API, not the frame, is the truth).

import { h, postJSON } from "../dom.js";
import { Feed } from "../feed.js";
import { currentRoom, roomKey } from "../room-state.js";

const $ = (selector) => document.querySelector(selector);
const LETTERS = "ABCDE";
const room = currentRoom();
const key = roomKey(room);
const instructor = Boolean(room && key);
const alone = !room;
let catalogue = { questions: [], measurements: [] };
let current = null; // the question in play (the API's results)
let tryId = null; // a learner alone: the try being measured
let tryVoter = ""; // … and who predicted it
let refreshing = null;

function voter() {
  let token = localStorage.getItem("playground.voter");
  if (!token) {
    token = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem("playground.voter", token);
  }
  return token;
}

function headers() {
  return key ? { "X-Room-Key": key } : {};
}

async function getJSON(url) {
  const response = await fetch(url, { headers: headers(), credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

const base = () => `/api/rooms/${room}/questions`;

async function refresh() {
  if (alone) {
    if (tryId) show(await getJSON(`/api/questions/tries/${tryId}?voter=${encodeURIComponent(tryVoter)}`));
    return;
  }
  // Students check in with their token (they count as connected); the instructor does not.
  const listed = await getJSON(instructor ? base() : `${base()}?voter=${encodeURIComponent(voter())}`);
  if (listed) show(listed.current);
}

function refreshSoon() {
  // Coalesce a burst of votes into one request.
  if (!refreshing) refreshing = setTimeout(() => { refreshing = null; refresh(); }, 250);
}

function status(q) {
  if (q.outcome && !q.outcome.settled) return "Fired: measuring what happened…";
  if (q.outcome) return "Fired: here is what happened.";
  const round = q.round === 2 ? "Round 2 (discuss with your neighbour first)" : "Round 1";
  const count = `${q.voted} of ${q.connected} voted`;
  if (q.state === "open") return instructor ? `${round} is open: ${count}.` : `${round} is open: tap your answer. You can change it until voting is locked. ${count}.`;
  if (q.state === "locked") return `Voting is locked. ${count}.${q.revealed ? " The votes are shown." : ""}`;
  return instructor ? "Asked: open voting when the class is ready." : "Waiting for voting to open.";
}

function bars(q, index) {
  if (!q.rounds) return null;
  return h("div", { class: "q-bars" }, q.rounds.map((r) => {
    const total = r.voters || 1;
    const n = r.counts[index];
    return h("div", { class: "q-bar" },
      h("span", {}, `Round ${r.round}`),
      h("span", { class: "q-bar-track", "aria-hidden": "true" }, h("span", { class: "q-bar-fill", style: `width:${Math.round((100 * n) / total)}%;display:block` })),
      h("span", {}, `${n} vote${n === 1 ? "" : "s"}`));
  }));
}

function optionItem(q, text, index) {
  const correct = q.outcome?.settled && q.outcome.correct === index;
  const label = [h("span", { class: "q-letter" }, LETTERS[index]), text];
  const canVote = !instructor && (alone ? !q.fired : q.state === "open");
  const mine = q.your_vote === index;
  const choice = canVote || (!instructor && mine)
    ? h("button", { type: "button", "aria-pressed": String(mine), disabled: !canVote, dataset: { qOption: index }, onclick: () => choose(index) }, label)
    : h("div", { class: "q-label" }, label);
  const tag = correct ? h("p", { class: "q-correct-tag" }, "✓ This is what happened") : null;
  return h("li", { class: `q-option${correct ? " q-correct" : ""}` }, choice, tag, bars(q, index));
}

function show(q) {
  current = q;
  $("[data-q-waiting]").hidden = Boolean(q) || instructor || alone;
  $("[data-q-current]").hidden = !q;
  if (!q) return;
  $("[data-q-meta]").textContent = `${q.style ? q.style + " · " : ""}${q.measurement ? "decided by: " + q.measurement.label : ""}`;
  $("[data-q-text]").textContent = q.text;
  $("[data-q-status]").textContent = alone && !q.fired ? "Pick your prediction, then fire it." : status(q);
  $("[data-q-options]").replaceChildren(...q.options.map((text, i) => optionItem(q, text, i)));
  controls(q);
  outcome(q);
  if (q.outcome && !q.outcome.settled) setTimeout(refresh, 800); // the measurement waits for the system
}

function controls(q) {
  $("[data-q-controls]").hidden = !instructor && !alone;
  for (const button of document.querySelectorAll("[data-q-action]")) {
    const action = button.dataset.qAction;
    if (alone) { button.hidden = action !== "fire"; button.disabled = q.fired; continue; }
    const ok = {
      open: q.state === "ready" || (q.state === "locked" && q.round === 1 && !q.revealed && !q.fired),
      lock: q.state === "open",
      reveal: q.state === "locked" && !q.revealed,
      fire: q.state === "locked" && !q.fired,
    }[action];
    button.hidden = false;
    button.disabled = !ok;
    if (action === "open") button.textContent = q.state === "ready" ? "Open voting" : "Open round 2 (discuss first)";
  }
  const csv = $("[data-q-csv]");
  csv.hidden = alone || !q.rounds;
  if (!alone) csv.href = `${base()}/${q.id}/results.csv`;
}

function outcome(q) {
  const box = $("[data-q-outcome]");
  box.hidden = !q.outcome;
  if (!q.outcome) return;
  const o = q.outcome;
  const unit = q.measurement?.unit ? ` ${q.measurement.unit}` : "";
  const words = q.measurement?.values?.[o.value]; // a measurement of words names its values
  const value = words ? words : `${o.value}${unit}`;
  $("[data-q-measured]").textContent = o.settled ? `Measured: ${value}. ${o.detail}` : o.detail || "Measuring…";
  let verdict = "";
  if (o.settled) {
    verdict = o.correct === null ? o.note : `Right answer: ${LETTERS[o.correct]}, ${q.options[o.correct]}.`;
    if (q.your_vote !== null && q.your_vote !== undefined && o.correct !== null) {
      verdict += o.correct === q.your_vote ? " Your prediction held." : ` You predicted ${LETTERS[q.your_vote]}: it did not hold.`;
    }
  }
  $("[data-q-verdict]").textContent = verdict;
  $("[data-q-explain]").textContent = o.settled ? q.explain : "";
}

async function choose(index) {
  if (alone) { current.your_vote = index; show(current); return; }
  const answer = await postJSON(`${base()}/${current.id}/votes`, { option: index, voter: voter() });
  $("[data-q-error]").textContent = answer.ok ? "" : answer.body.detail;
  if (answer.ok) show(answer.body);
}

async function act(action) {
  $("[data-q-error]").textContent = "";
  if (alone) return tryAlone();
  const button = document.querySelector(`[data-q-action="${action}"]`);
  button.disabled = true;
  const answer = await postJSON(`${base()}/${current.id}/${action}`);
  if (!answer.ok) $("[data-q-error]").textContent = answer.body.detail;
  refresh();
}

async function tryAlone() {
  if (current.your_vote === null || current.your_vote === undefined) {
    $("[data-q-error]").textContent = "Pick your prediction first.";
    return;
  }
  $("[data-q-status]").textContent = "Firing…";
  const answer = await postJSON(`/api/questions/${encodeURIComponent(current.source)}/try`, { option: current.your_vote });
  if (!answer.ok) { $("[data-q-error]").textContent = answer.body.detail; return; }
  tryId = answer.body.id;
  tryVoter = answer.body.voter;
  show(answer.body);
}

function picked() {
  return catalogue.questions.find((q) => q.id === $("[data-q-catalogue]").value);
}

function preview() {
  // A learner alone sees the chosen question at once, ready to predict.
  const q = picked();
  $("[data-q-pick-help]").textContent = q ? `Fires: ${q.steps.map((s) => `${s.style} ${s.kind}${s.count > 1 ? " × " + s.count : ""}`).join(", then ")}.` : "";
  if (alone && q) {
    tryId = null;
    show({ id: null, source: q.id, style: q.style, text: q.text, options: q.options.map((o) => o.text), explain: q.explain,
      measurement: catalogue.measurements.find((m) => m.key === q.measurement), fired: false, your_vote: null, outcome: null, rounds: null });
  }
}

async function ask() {
  const answer = await postJSON(base(), { catalogue: $("[data-q-catalogue]").value });
  $("[data-q-pick-error]").textContent = answer.ok ? "" : answer.body.detail;
  if (answer.ok) show(answer.body);
}

async function importOwn() {
  let body;
  try { body = JSON.parse($("[data-q-json]").value); } catch { $("[data-q-pick-error]").textContent = "That is not JSON."; return; }
  const answer = await postJSON(`${base()}/import`, Array.isArray(body) ? { questions: body } : body);
  $("[data-q-pick-error]").textContent = answer.ok ? `Imported ${answer.body.questions.length} question(s).` : answer.body.detail;
  if (answer.ok) refresh();
}

async function exportOwn() {
  const exported = await getJSON(`${base()}/export`);
  if (exported) $("[data-q-json]").value = JSON.stringify(exported, null, 2);
}

async function start() {
  catalogue = (await getJSON("/api/questions/")) || catalogue;
  const select = $("[data-q-catalogue]");
  const groups = {};
  for (const q of catalogue.questions) (groups[q.style] ||= []).push(q);
  select.replaceChildren(...Object.entries(groups).map(([style, qs]) =>
    h("optgroup", { label: style }, qs.map((q) => h("option", { value: q.id }, q.text)))));
  $("[data-q-pick]").hidden = !(instructor || alone);
  $("[data-q-ask]").hidden = !instructor;
  $("[data-q-own]").hidden = !instructor;
  $("[data-q-pick-title]").textContent = alone ? "Choose a question to try" : "Ask the class";
  select.addEventListener("change", preview);
  $("[data-q-ask]").addEventListener("click", ask);
  $("[data-q-import]").addEventListener("click", importOwn);
  $("[data-q-export]").addEventListener("click", exportOwn);
  for (const button of document.querySelectorAll("[data-q-action]")) button.addEventListener("click", () => act(button.dataset.qAction));
  if (alone) { preview(); return; }
  window.addEventListener("playground:room-frame", (event) => { if (event.detail?.room?.question) refreshSoon(); });
  new Feed({ filters: { style: "questions" }, onMessages: (messages) => { if (messages.length) refreshSoon(); } }).start();
  setInterval(refresh, 20000); // counts this page as connected, and catches up after a sleep
  refresh();
}

start();
