// The page's configuration (from the server) and both clocks: story time and real time.

export const config = JSON.parse(document.getElementById("webhooks-config").textContent);

function human(seconds) {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  for (const [unit, size] of [["h", 3600], ["min", 60]]) {
    if (seconds >= size) {
      const v = seconds / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

/** "29 min (story) = 1.2 s (real)" for a wait of `realSeconds`. */
export function storyText(realSeconds) {
  return `${human(realSeconds * config.scale)} (story) = ${human(realSeconds)} (real)`;
}
