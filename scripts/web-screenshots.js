// Drives a headless Chromium through the web reset page over the DevTools
// protocol and saves a PNG per state; scripts/web-screenshots.sh starts the
// server and the browser. Text is typed with Input.insertText (as a paste
// or an IME would), so the page's input handlers run as for a rep.
//
//   node --experimental-websocket web-screenshots.js DEVTOOLS_PORT LINK OUTDIR
"use strict";
const [port, link, outDir] = process.argv.slice(2);
const fs = require("node:fs");

let ws, nextId = 1;
const waiting = new Map();
function call(method, params = {}) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject, method }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function evaluate(expr) {
  const r = await call("Runtime.evaluate", { expression: expr, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(expr + ": " + JSON.stringify(r.exceptionDetails));
  return r.result.value;
}
// until waits for a page condition (a JS expression) to hold.
async function until(expr, what) {
  for (let i = 0; i < 200; i++) {
    if (await evaluate(expr)) return;
    await sleep(50);
  }
  throw new Error("timed out waiting for " + what);
}
async function load(url) {
  await call("Page.navigate", { url });
  await until("document.readyState === 'complete' && !!document.querySelector('main')", "the page at " + url);
}
async function type(id, text) {
  await evaluate(`document.getElementById(${JSON.stringify(id)}).focus()`);
  await call("Input.insertText", { text });
}
async function clear(id) {
  await evaluate(`(() => { const e = document.getElementById(${JSON.stringify(id)}); e.value = ""; e.dispatchEvent(new Event("input")); })()`);
}
async function shot(name, width) {
  await call("Emulation.setDeviceMetricsOverride", { width, height: 600, deviceScaleFactor: 1, mobile: false });
  await sleep(100);
  const height = await evaluate("Math.ceil(document.querySelector('main').getBoundingClientRect().bottom) + 32");
  await call("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
  await sleep(150);
  const r = await call("Page.captureScreenshot", { format: "png" });
  fs.writeFileSync(`${outDir}/${name}.png`, Buffer.from(r.data, "base64"));
  console.log("wrote", `${outDir}/${name}.png`, `${width}x${height}`);
}
const label = "document.getElementById('strengthLabel').textContent";

(async () => {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === "page");
  ws = new WebSocket(page.webSocketDebuggerUrl);
  const problems = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    // Anything the page logs as a warning or error (a CSP violation, a
    // script error) fails the run, but for the one refusal asked for (422).
    const entry = msg.method === "Log.entryAdded" && msg.params.entry;
    if (entry && ["warning", "error"].includes(entry.level) && !entry.text.includes("status of 422")) problems.push(entry.text);
    if (msg.method === "Runtime.exceptionThrown") problems.push(JSON.stringify(msg.params.exceptionDetails));
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    msg.error ? w.reject(new Error(w.method + ": " + msg.error.message)) : w.resolve(msg.result);
  };
  await new Promise((r) => (ws.onopen = r));
  await call("Page.enable");
  await call("Runtime.enable");
  await call("Log.enable");
  await call("Emulation.setFocusEmulationEnabled", { enabled: true }); // draw focus as in a focused window

  // 1. The link from the mail: username and code filled in, nothing typed.
  await load(link);
  await until("location.hash === '' && document.getElementById('code').value.length === 6", "the fragment moved into the form");
  await until("document.activeElement.id === 'newPassword'", "the cursor in the new password");
  await shot("web-1-empty", 400);
  await shot("web-1-empty-desktop", 1024);

  // 2. A weak password: the rating, why, and the minimum.
  await type("newPassword", "alexmorgan1");
  await until(`${label} === 'Password strength: Weak' || ${label} === 'Password strength: Poor'`, "a weak rating");
  await shot("web-2-weak", 400);

  // 3. Saving it anyway: the page says why, with the rating, and keeps the form.
  await type("confirmPassword", "alexmorgan1");
  await evaluate("document.querySelector('button.save').click()");
  await until("!document.getElementById('formError').hidden", "the refusal");
  await shot("web-3-refused-weak", 400);

  // 4. A 300-character paste: Too long, refused in the app's words, never cut.
  await clear("newPassword"); await clear("confirmPassword");
  const paste = "Sales Plus rocks! ".repeat(17).slice(0, 300);
  await type("newPassword", paste);
  await type("confirmPassword", paste);
  await until(`${label} === 'Too long'`, "Too long");
  await evaluate("document.querySelector('button.save').click()");
  await until("!document.getElementById('formError').hidden", "the refusal");
  await shot("web-4-refused-too-long", 400);

  // 5. A strong password, shown with the toggle.
  await clear("newPassword"); await clear("confirmPassword");
  await type("newPassword", "Tangerine-Pelican-Orbit-88");
  await type("confirmPassword", "Tangerine-Pelican-Orbit-88");
  await evaluate("document.getElementById('showPasswords').click()");
  await until(`${label} === 'Password strength: Excellent'`, "Excellent");
  await shot("web-5-strong", 400);

  // 6. A post the script did not check (form.submit() skips its handler,
  // as a page without JavaScript would post): the server refuses with the
  // rating and keeps the username and the code.
  await evaluate(`(() => { const f = document.getElementById("resetForm");
    f.newPassword.value = f.confirmPassword.value = "password1"; f.submit(); })()`);
  await until("!!document.querySelector('.error[role=alert] p')", "the server's refusal");
  await until("document.activeElement.id === 'newPassword'", "the cursor in the new password");
  await shot("web-6-refused-by-server", 400);

  // 7. With the kept username and code, a strong password: done, and what next.
  await type("newPassword", "Tangerine-Pelican-Orbit-88");
  await type("confirmPassword", "Tangerine-Pelican-Orbit-88");
  await until(`${label} === 'Password strength: Excellent'`, "Excellent");
  await evaluate("document.querySelector('button.save').click()");
  await until("!!document.querySelector('.ok')", "the success page");
  await shot("web-7-success", 400);
  ws.close();
  if (problems.length) throw new Error("the page reported:\n" + problems.join("\n"));
})().catch((e) => { console.error(e); process.exit(1); });
