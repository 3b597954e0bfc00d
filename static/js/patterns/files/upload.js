// Upload your own CSV: drag and drop or the file picker; then (optionally) pick up at once.

const SAMPLE = [
  "order_id,customer_id,customer_name,total,currency,status,created_at,updated_at",
  "9001,1,Ada Lovelace,19.99,EUR,paid,2026-11-27T09:00:00+00:00,2026-11-27T09:05:00+00:00",
  "9002,2,Alan Turing,5.50,EUR,shipped,2026-11-27T10:00:00+00:00,2026-11-27T11:00:00+00:00",
  "9003,3,Grace Hopper,twelve,EUR,paid,2026-11-27T10:30:00+00:00,2026-11-27T10:31:00+00:00",
  "9004,4,Katherine Johnson,42.00,EUR,delivered,2026-11-26T08:00:00+00:00,2026-11-27T12:00:00+00:00",
].join("\r\n") + "\r\n";

export function mountUpload({ csrf, onDone, report }) {
  const form = document.querySelector("[data-files-upload]");
  const input = form.querySelector("[data-files-input]");
  const zone = form.querySelector("[data-files-dropzone]");
  const result = document.querySelector("[data-files-upload-result]");
  const sample = form.querySelector("[data-files-sample]");
  sample.href = URL.createObjectURL(new Blob([SAMPLE], { type: "text/csv" }));

  for (const type of ["dragenter", "dragover"]) zone.addEventListener(type, (e) => { e.preventDefault(); zone.dataset.over = "true"; });
  for (const type of ["dragleave", "drop"]) zone.addEventListener(type, () => { zone.dataset.over = "false"; });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; say(`Ready: ${input.files[0].name}. Press “Put it in the inbox”.`); }
  });

  function say(text, kind = "ok") {
    result.textContent = text;
    result.className = kind === "error" ? "files-error" : "";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) { say("Choose a CSV first (or drag one onto the box).", "error"); return; }
    const button = form.querySelector("[data-files-send]");
    button.disabled = true;
    try {
      const body = new FormData();
      body.append("file", file);
      const response = await fetch("/api/files/upload", { method: "POST", body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" });
      const data = await response.json().catch(() => ({ detail: response.statusText }));
      if (!response.ok) { say(`Refused (${response.status}): ${data.detail || data.error}. Nothing was written.`, "error"); report("Upload refused.", "error"); return; }
      say(`${data.file} is in Accounting's inbox: ${data.rows} rows, sha256 ${data.sha256.slice(0, 12)}…`);
      let pickup = null;
      if (form.querySelector("[data-files-then-pickup]").checked) {
        const r = await fetch("/api/files/pickup", { method: "POST", headers: { "X-CSRFToken": csrf(), "Content-Type": "application/json" }, body: "{}", credentials: "same-origin" });
        pickup = await r.json();
        say(`${data.file} uploaded (${data.rows} rows). Accounting picked up at once: ${pickup.note}`);
      }
      report(`Uploaded ${data.file}.`);
      await onDone(data.file, pickup);
    } finally {
      button.disabled = false;
    }
  });
}
