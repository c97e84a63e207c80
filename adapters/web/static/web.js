// Cruxbot's web view: pan and zoom for the map, and live refresh. The pages
// work without it; it only adds to them.
"use strict";

(function () {
  const REFRESH_MS = 10000;

  function setUpMap() {
    const view = document.querySelector(".map-view");
    const svg = view && view.querySelector("svg");
    if (!svg) return;
    const box = svg.viewBox.baseVal;
    if (!box || !box.width) return;
    const home = { x: box.x, y: box.y, w: box.width, h: box.height };
    const tools = document.createElement("div");
    tools.className = "map-tools";
    const buttons = [
      ["Zoom in", () => zoom(0.8)],
      ["Zoom out", () => zoom(1.25)],
      ["Reset", () => show(home)],
    ];
    for (const [label, action] of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", action);
      tools.appendChild(button);
    }
    view.parentNode.insertBefore(tools, view);
    let current = { ...home };

    function show(area) {
      current = { ...area };
      svg.setAttribute("viewBox", `${area.x} ${area.y} ${area.w} ${area.h}`);
    }

    function zoom(factor, cx, cy) {
      const x = cx === undefined ? current.x + current.w / 2 : cx;
      const y = cy === undefined ? current.y + current.h / 2 : cy;
      const w = Math.min(Math.max(current.w * factor, home.w / 20), home.w * 4);
      const h = (w / current.w) * current.h;
      show({ x: x - ((x - current.x) * w) / current.w, y: y - ((y - current.y) * h) / current.h, w, h });
    }

    view.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      const cx = current.x + ((event.clientX - rect.left) / rect.width) * current.w;
      const cy = current.y + ((event.clientY - rect.top) / rect.height) * current.h;
      zoom(event.deltaY < 0 ? 0.9 : 1.1, cx, cy);
    }, { passive: false });

    let drag = null;
    view.addEventListener("pointerdown", (event) => {
      if (event.target.closest("a")) return;
      drag = { x: event.clientX, y: event.clientY, from: { ...current } };
      view.setPointerCapture(event.pointerId);
    });
    view.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const rect = svg.getBoundingClientRect();
      const dx = ((event.clientX - drag.x) / rect.width) * drag.from.w;
      const dy = ((event.clientY - drag.y) / rect.height) * drag.from.h;
      show({ ...drag.from, x: drag.from.x - dx, y: drag.from.y - dy });
    });
    view.addEventListener("pointerup", () => { drag = null; });
    view.addEventListener("keydown", (event) => {
      const step = current.w / 10;
      const moves = {
        ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step],
      };
      if (event.key === "+" || event.key === "=") zoom(0.8);
      else if (event.key === "-") zoom(1.25);
      else if (moves[event.key]) {
        event.preventDefault();
        show({ ...current, x: current.x + moves[event.key][0], y: current.y + moves[event.key][1] });
      }
    });
  }

  async function refresh() {
    const main = document.querySelector("main");
    const url = main && main.dataset.versionUrl;
    if (!url || !main.dataset.version) return;
    try {
      const answer = await fetch(url, { cache: "no-store", credentials: "omit" });
      if (!answer.ok) return;
      const version = (await answer.text()).trim();
      if (version === main.dataset.version) return;
      const page = await fetch(window.location.href, { cache: "no-store", credentials: "omit" });
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
      const freshMain = fresh.querySelector("main");
      if (!freshMain) return;
      main.replaceChildren(...Array.from(freshMain.childNodes).map((n) => document.importNode(n, true)));
      main.dataset.version = freshMain.dataset.version || version;
      setUpMap();
      const live = document.getElementById("live");
      if (live) live.textContent = "Updated with the latest statements.";
    } catch (error) {
      // Offline or the server restarting: try again at the next tick.
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpMap();
    window.setInterval(refresh, REFRESH_MS);
  });
})();
