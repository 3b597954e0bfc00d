// The health page reloads its table every 5 seconds (server-rendered, so it works without JS too).
setInterval(async () => {
  const response = await fetch(location.href);
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  document.querySelector("[data-health-table]").replaceWith(doc.querySelector("[data-health-table]"));
}, 5000);
