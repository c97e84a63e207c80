// Opens one page in the system's headless Chromium, says "ready" on stdout,
// then waits for a word to appear in the page without a reload (the pages'
// live refresh), and reports on stdout as JSON: whether it appeared, in how
// many milliseconds, whether the page was reloaded, and any console errors.
//
//   node live.mjs URL WORD [timeout-ms]
import puppeteer from "puppeteer-core";

const [url, word, timeoutText] = process.argv.slice(2);
const timeout = Number(timeoutText || 30000);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const errors = [];
let result;
try {
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url, { waitUntil: "networkidle0" });
  await page.evaluate(() => { window.__sameDocument = true; });
  process.stdout.write("ready\n");
  const started = Date.now();
  let appeared = false;
  try {
    await page.waitForFunction(
      (w) => document.querySelector("main").innerHTML.includes(w),
      { timeout, polling: 200 },
      word,
    );
    appeared = true;
  } catch (error) {
    appeared = false;
  }
  const reloaded = !(await page.evaluate(() => window.__sameDocument === true));
  const announced = await page.evaluate(() => document.getElementById("live").textContent);
  result = { appeared, ms: Date.now() - started, reloaded, announced, errors };
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result) + "\n");
