// Predict first: the instructor asks and moves a question on, students vote with one tap, a
// learner alone predicts and fires. The page follows the room: a question moving on (a room frame)
// or an outcome measured makes it ask the API again (the API, not the frame, is the truth); the
// instructor's page follows every vote too, to keep the live count.

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
let refreshing = false; // a refresh is under way …
let again = false; // … and something happened since it asked
let own = []; // the room's own questions (the instructor's)

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

async function refreshSoon() {
  // Ask at once, one request at a time: a burst of votes while one is under way makes one more
  // (bench/questions.py: waiting 250 ms first put the instructor's p95 well past 200 ms).
  if (refreshing) { again = true; return; }
  refreshing = true;
  try {
    do { again = false; await refresh(); } while (again);
  } finally {
    refreshing = false;
  }
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

function sentence(text) {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
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
    verdict = o.correct === null ? o.note : `The right answer is ${LETTERS[o.correct]}: ${sentence(q.options[o.correct])}`;
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
  const value = $("[data-q-catalogue]").value;
  if (value.startsWith("own:")) return own.find((q) => `own:${q.id}` === value);
  return catalogue.questions.find((q) => q.id === value);
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
  const value = $("[data-q-catalogue]").value;
  const body = value.startsWith("own:") ? { own: Number(value.slice(4)) } : { catalogue: value };
  const answer = await postJSON(base(), body);
  $("[data-q-pick-error]").textContent = answer.ok ? "" : answer.body.detail;
  if (answer.ok) show(answer.body);
}

async function importOwn() {
  let body;
  try { body = JSON.parse($("[data-q-json]").value); } catch { $("[data-q-pick-error]").textContent = "That is not JSON."; return; }
  const answer = await postJSON(`${base()}/import`, Array.isArray(body) ? { questions: body } : body);
  if (!answer.ok) { $("[data-q-pick-error]").textContent = answer.body.detail; return; }
  const added = answer.body.added;
  const same = answer.body.questions.length - added;
  $("[data-q-pick-error]").textContent = `Added ${added} question${added === 1 ? "" : "s"} to your questions${same ? ` (${same} you had already)` : ""}.`;
  await loadOwn();
}

async function exportOwn() {
  const exported = await getJSON(`${base()}/export`);
  if (exported) $("[data-q-json]").value = JSON.stringify(exported, null, 2);
}

function fillPicker(chosen) {
  const select = $("[data-q-catalogue]");
  const before = chosen || select.value;
  const groups = {};
  for (const q of catalogue.questions) (groups[q.style] ||= []).push(q);
  const mine = own.length ? [h("optgroup", { label: "Your questions" }, own.map((q) => h("option", { value: `own:${q.id}` }, q.text)))] : [];
  select.replaceChildren(...mine, ...Object.entries(groups).map(([style, qs]) =>
    h("optgroup", { label: style }, qs.map((q) => h("option", { value: q.id }, q.text)))));
  if (before && [...select.options].some((o) => o.value === before)) select.value = before;
  preview();
}

async function loadOwn(chosen) {
  own = (await getJSON(`${base()}/own`))?.questions || own;
  fillPicker(chosen);
}

// Writing a question ---------------------------------------------------------------------------

const writer = {
  rows: () => [...document.querySelectorAll("[data-q-w-options] > li")],
  measurement: () => catalogue.measurements.find((m) => m.key === $("[data-q-w-measurement]").value),
};

function fillActions() {
  // Only actions whose style declares a measurement: a question needs one to be decided.
  const styles = new Set(catalogue.measurements.map((m) => m.style));
  const groups = {};
  for (const a of catalogue.actions.filter((a) => styles.has(a.style))) (groups[a.style] ||= []).push(a);
  $("[data-q-w-action]").replaceChildren(...Object.entries(groups).map(([style, actions]) =>
    h("optgroup", { label: style }, actions.map((a) => h("option", { value: `${a.style} ${a.kind}` }, `${a.kind} — ${a.help}`)))));
  actionChanged();
}

function actionChanged() {
  const [style, kind] = $("[data-q-w-action]").value.split(" ");
  const action = catalogue.actions.find((a) => a.style === style && a.kind === kind);
  $("[data-q-w-action-help]").textContent = action ? `Fires ${style} ${kind}: ${action.help}.` : "";
  $("[data-q-w-measurement]").replaceChildren(...catalogue.measurements.filter((m) => m.style === style)
    .map((m) => h("option", { value: m.key }, m.unit ? `${m.label} (${m.unit})` : m.label)));
  measurementChanged();
}

function measurementChanged() {
  const m = writer.measurement();
  $("[data-q-w-options-help]").textContent = !m ? "" : Object.keys(m.values).length
    ? "For each option, choose what the measurement must find for it to be right."
    : `For each option, the number${m.unit ? " of " + m.unit : ""} it stands for: the same number in From and To for exactly that number, or leave one empty for "at least" or "at most".`;
  const rows = readRows().map(({ text }) => ({ text })); // what an option stands for depends on it
  drawOptions(rows.length ? rows : [{ text: "" }, { text: "" }]);
}

function readRows() {
  return writer.rows().map((li) => {
    const field = (name) => li.querySelector(`[data-q-w-option-${name}]`)?.value;
    return { text: field("text"), value: field("value"), low: field("low"), high: field("high") };
  });
}

function drawOptions(states) {
  const m = writer.measurement();
  const words = Object.entries(m?.values || {});
  const rows = states.map(({ text, value: chosen, low, high }, i) => {
    const id = (part) => `q-w-option-${i}-${part}`;
    const field = (part, label, input) => h("div", {}, h("label", { for: id(part) }, label), input);
    const standsFor = words.length
      ? [field("value", `Option ${LETTERS[i]} is right when it finds`, h("select", { id: id("value"), dataset: { qWOptionValue: "" } },
        words.map(([value, meaning]) => h("option", { value, selected: value === chosen }, `${value}: ${meaning}`))))]
      : [field("low", "From", h("input", { id: id("low"), type: "number", step: "any", inputmode: "decimal", value: low, dataset: { qWOptionLow: "" } })),
        field("high", "To", h("input", { id: id("high"), type: "number", step: "any", inputmode: "decimal", value: high, dataset: { qWOptionHigh: "" } }))];
    return h("li", { class: "q-w-option" },
      h("div", { class: "q-w-option-text" }, h("label", { for: id("text") }, `Option ${LETTERS[i]}`),
        h("input", { id: id("text"), maxlength: 160, value: text, dataset: { qWOptionText: "" }, "aria-describedby": "q-w-options-error" })),
      ...standsFor,
      h("button", { type: "button", class: "secondary", "aria-label": `Remove option ${LETTERS[i]}`, disabled: states.length === 1,
        onclick: () => drawOptions(readRows().filter((_, j) => j !== i)) }, "Remove"));
  });
  $("[data-q-w-options]").replaceChildren(...rows);
  $("[data-q-w-add]").disabled = states.length >= LETTERS.length;
}

function addOption() {
  drawOptions([...readRows(), { text: "" }]);
  writer.rows().at(-1).querySelector("[data-q-w-option-text]").focus();
}

function number(input) {
  return input && input.value.trim() !== "" ? Number(input.value) : null;
}

function written() {
  const [style, kind] = $("[data-q-w-action]").value.split(" ");
  const data = $("[data-q-w-data]").value.trim();
  let parsed = {};
  if (data) {
    try { parsed = JSON.parse(data); } catch { return { error: { field: "question.steps", detail: "The data is not JSON: write it like {\"sql\": \"SELECT 1\"}, or leave it empty." } }; }
  }
  const options = writer.rows().map((li) => {
    const text = li.querySelector("[data-q-w-option-text]").value.trim();
    const value = li.querySelector("[data-q-w-option-value]");
    if (value) return { text, value: value.value };
    return { text, low: number(li.querySelector("[data-q-w-option-low]")), high: number(li.querySelector("[data-q-w-option-high]")) };
  });
  return {
    question: {
      text: $("[data-q-w-text]").value.trim(),
      options,
      steps: [{ style, kind, data: parsed, count: Number($("[data-q-w-count]").value) || 1 }],
      measurement: $("[data-q-w-measurement]").value,
      explain: $("[data-q-w-explain]").value.trim(),
    },
  };
}

function clearFieldErrors() {
  for (const p of document.querySelectorAll("[data-q-field-error]")) p.textContent = "";
  for (const el of $("[data-q-form]").querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function showFieldError({ field, detail }) {
  // The API names the field at fault ("question.options.1.low"): say so beside that part of the form.
  const parts = (field || "").split(".").slice(field?.startsWith("question") ? 1 : 0);
  const slot = document.querySelector(`[data-q-field-error="${parts[0]}"]`) || $("[data-q-field-error=options]");
  const index = Number(parts[1]);
  const row = parts[0] === "options" && Number.isInteger(index) ? writer.rows()[index] : null;
  let said = field && detail.startsWith(`${field}: `) ? detail.slice(field.length + 2) : detail;
  said = said.replace(/^Value error, /, ""); // pydantic's prefix says nothing to a reader
  said = said.charAt(0).toUpperCase() + said.slice(1);
  slot.textContent = row ? `Option ${LETTERS[index]}: ${said}` : said;
  const target = row
    ? row.querySelector(`[data-q-w-option-${{ value: "value", low: "low", high: "high" }[parts[2]] || "text"}]`)
    : { text: $("[data-q-w-text]"), measurement: $("[data-q-w-measurement]"), explain: $("[data-q-w-explain]"), steps: $("[data-q-w-data]") }[parts[0]];
  target?.setAttribute("aria-invalid", "true");
  (target || slot).focus?.();
}

async function save(event) {
  event.preventDefault();
  clearFieldErrors();
  $("[data-q-w-saved]").textContent = "";
  const body = written();
  if (body.error) return showFieldError(body.error);
  const answer = await postJSON(`${base()}/own`, body);
  if (!answer.ok) return showFieldError(answer.body);
  await loadOwn(`own:${answer.body.id}`);
  $("[data-q-w-saved]").textContent = "Saved. It is chosen above, under Your questions: press Ask the class to ask it.";
}

async function start() {
  catalogue = (await getJSON("/api/questions/")) || catalogue;
  fillPicker();
  $("[data-q-pick]").hidden = !(instructor || alone);
  $("[data-q-ask]").hidden = !instructor;
  $("[data-q-own]").hidden = !instructor;
  $("[data-q-write]").hidden = !instructor;
  if (instructor) {
    fillActions();
    $("[data-q-w-action]").addEventListener("change", actionChanged);
    $("[data-q-w-measurement]").addEventListener("change", measurementChanged);
    $("[data-q-w-add]").addEventListener("click", addOption);
    $("[data-q-form]").addEventListener("submit", save);
    loadOwn();
  }
  $("[data-q-pick-title]").textContent = alone ? "Choose a question to try" : "Ask the class";
  $("[data-q-catalogue]").addEventListener("change", preview);
  $("[data-q-ask]").addEventListener("click", ask);
  $("[data-q-import]").addEventListener("click", importOwn);
  $("[data-q-export]").addEventListener("click", exportOwn);
  for (const button of document.querySelectorAll("[data-q-action]")) button.addEventListener("click", () => act(button.dataset.qAction));
  if (alone) { preview(); return; }
  window.addEventListener("playground:room-frame", (event) => { if (event.detail?.question) refreshSoon(); });
  // A student's page needs no vote of the others (their count comes with each refresh): following
  // only outcomes, a vote is one frame to the instructor instead of one to every page in the room.
  const filters = instructor ? { style: "questions" } : { kind: "question.outcome" };
  new Feed({ filters, onMessages: (messages) => { if (messages.length) refreshSoon(); } }).start();
  setInterval(refresh, 20000); // counts this page as connected, and catches up after a sleep
  refresh();
}

start();
