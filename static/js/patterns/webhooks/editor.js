// The fire buttons, the JSON editor (one draft per event type) and the contract panel beside it.

import { h } from "../../dom.js";
import { act, reportStatus } from "../../stylepage.js";

function fieldLine(name, schema, required, sample) {
  const rules = [];
  if (schema.type) rules.push(schema.type);
  if (schema.enum) rules.push(`one of ${schema.enum.join(", ")}`);
  if (schema.pattern) rules.push(`like ${sample ?? schema.examples?.[0] ?? "the sample"}`);
  if (schema.exclusiveMinimum !== undefined) rules.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maxLength) rules.push(`≤ ${schema.maxLength} chars`);
  return h("li", {}, h("code", {}, name), required ? " (required) " : " (optional) ", h("span", { class: "muted" }, rules.join(", ")));
}

export function mountEditor(config) {
  const types = Object.fromEntries(config.types.map((t) => [t.name, t]));
  const drafts = Object.fromEntries(config.types.map((t) => [t.name, JSON.stringify(t.sample, null, 2)]));
  const select = document.querySelector("[data-editor-type]");
  const editor = document.querySelector("[data-editor]");
  const problem = document.querySelector("[data-editor-problem]");

  function showContract(name) {
    const t = types[name];
    document.querySelector("[data-contract-name]").textContent = t.name;
    document.querySelector("[data-contract-summary]").textContent = `${t.summary} Sent by ${t.sender}. Contract ${t.contract}.`;
    const required = new Set(t.schema.required || []);
    document.querySelector("[data-contract-fields]").replaceChildren(
      ...Object.entries(t.schema.properties).map(([field, s]) => fieldLine(field, s, required.has(field), t.sample[field])));
  }

  function choose(name) {
    drafts[select.value] = editor.value;
    select.value = name;
    editor.value = drafts[name];
    setProblem("");
    showContract(name);
  }

  function setProblem(text) {
    problem.textContent = text;
    editor.setAttribute("aria-invalid", text ? "true" : "false");
  }

  async function fire(name, button) {
    choose(name);
    let data;
    try {
      data = JSON.parse(editor.value);
    } catch (error) {
      document.querySelector("[data-editor-box]").open = true;
      setProblem(`Not sent: the data is not valid JSON (${error.message}).`);
      reportStatus(`Not sent: the data for ${name} is not valid JSON.`, "error");
      return;
    }
    button.disabled = true;
    const result = await act("/api/webhooks/events", { type: name, data }, {
      done: (body) => body.deliveries.length
        ? `Sent ${name} (${body.event_id}) to ${body.deliveries.map((d) => d.endpoint).join(", ")}.`
        : `${name} happened, but no endpoint is listening (all are disabled or want other events).`,
    });
    button.disabled = false;
    if (!result.ok && result.body?.field) {
      document.querySelector("[data-editor-box]").open = true;
      setProblem(`Refused: ${result.body.detail}`);
    }
  }

  select.addEventListener("change", () => choose(select.value));
  editor.addEventListener("input", () => { drafts[select.value] = editor.value; });
  document.querySelector("[data-editor-reset]").addEventListener("click", () => {
    drafts[select.value] = JSON.stringify(types[select.value].sample, null, 2);
    editor.value = drafts[select.value];
    setProblem("");
  });
  for (const button of document.querySelectorAll("[data-fire]")) {
    button.addEventListener("click", () => fire(button.dataset.fire, button));
  }
  editor.value = drafts[select.value];
  showContract(select.value);
}
