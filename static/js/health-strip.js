// The health strip on every page: quiet while everything is up, a clear line when something is
// down ("Redis down for 12 s: …"), so an instructor sees at once why a demo is stuck.

import { h } from "./dom.js";

const POLL_MS = 10000;

function describeDuration(seconds) {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

async function refresh(strip, badge) {
  let health;
  try {
    const response = await fetch("/api/health", { headers: { Accept: "application/json" } });
    health = await response.json();
  } catch {
    strip.hidden = false;
    strip.replaceChildren(h("strong", {}, "The playground's web server cannot be reached."), " Pages will catch up when it is back.");
    badge.dataset.health = "unreachable";
    badge.textContent = "✕ server unreachable";
    return;
  }
  const down = health.components.filter((c) => !c.up);
  badge.dataset.health = health.status;
  badge.textContent = down.length ? `✕ ${down.length} part${down.length > 1 ? "s" : ""} down` : "✓ all parts up";
  strip.hidden = down.length === 0;
  strip.dataset.down = down.map((c) => c.name).join(" ");
  strip.replaceChildren(...down.flatMap((c, i) => [
    i ? " · " : "",
    h("strong", {}, `${c.label} down for ${describeDuration(c.for_seconds)}`), ` (${c.what}): ${c.detail}`,
  ]), " ", h("a", { href: "/health" }, "Details"));
}

const strip = document.querySelector("[data-health-strip]");
const badge = document.querySelector("[data-health-badge]");
if (strip && badge) {
  refresh(strip, badge);
  setInterval(() => refresh(strip, badge), POLL_MS);
}
