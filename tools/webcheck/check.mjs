// Loads pages in the system's headless Chromium and reports, as JSON on
// stdout, what a reader's browser would show: console errors (a blocked
// inline script or style counts), which expected words are missing from the
// DOM, a screenshot per page in the light and dark schemes and on a phone's
// width, whether the page is wider than the screen, and axe-core's findings.
//
//   node check.mjs pages.json out-dir
//
// pages.json: [{"name": "reading", "url": "http://...", "expect": ["lag", ...]}]
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const [pagesFile, outDir] = process.argv.slice(2);
const pages = JSON.parse(await readFile(pagesFile, "utf8"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = [];
try {
  for (const spec of pages) {
    for (const [scheme, width] of [["light", 1200], ["dark", 1200], ["phone", 390]]) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900, isMobile: width < 600, hasTouch: width < 600 });
      const colours = scheme === "dark" ? "dark" : "light";
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: colours }]);
      const errors = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("requestfailed", (request) => errors.push(`failed: ${request.url()}`));
      const response = await page.goto(spec.url, { waitUntil: "networkidle0" });
      const status = response ? response.status() : 0;
      const missing = await page.evaluate((words) => {
        const html = document.documentElement.outerHTML;
        return words.filter((word) => !html.includes(word));
      }, spec.expect || []);
      const scriptRan = await page.evaluate(
        () => document.querySelector(".map-tools") !== null || document.querySelector(".map-view") === null,
      );
      const screenshot = path.join(outDir, `${spec.name}-${scheme}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.evaluate(axeSource);
      const axe = await page.evaluate(async () => {
        const found = await window.axe.run(document, { resultTypes: ["violations"] });
        return found.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }));
      });
      const overflows = await page.evaluate(
        () => document.documentElement.scrollWidth > window.innerWidth + 1,
      );
      results.push({
        name: spec.name, scheme, status, errors, missing, scriptRan, screenshot, axe, overflows,
      });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
await writeFile(path.join(outDir, "results.json"), JSON.stringify(results, null, 2));
process.stdout.write(JSON.stringify(results));
