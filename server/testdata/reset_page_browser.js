// A stand-in for the browser parts the reset page's inline script touches,
// so web_script_test.go can run the real script under Node. It reads JSON on
// stdin:
//
//   {script, hash, pathname,
//    elements: {id: {tag, value, type, hidden, textContent, attributes}},  // the page's elements with an id
//    workers: {url: source},                      // what new Worker(url) runs
//    steps: [{set: {id: value}, input: id, click: id, submit: true, waitMs: n}]}
//
// and prints what the script did: the inputs' values afterwards, every
// history.replaceState call, every element that got focus, in order, and
// after each step (once the strength worker is idle, or after waitMs) what the rep sees of
// the meter, whether the form would post, and the user inputs last sent to
// the worker.
"use strict";
const vm = require("node:vm");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const out = { fields: {}, replaceState: [], focused: [], workersStarted: 0, steps: [] };

class Element {
  constructor(id, init) {
    Object.assign(this, { id, tag: init.tag, value: init.value ?? "", type: init.type ?? "",
      hidden: !!init.hidden, textContent: init.textContent ?? "", className: "",
      attributes: { ...init.attributes }, listeners: {} });
  }
  focus() { out.focused.push(this.id); }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  dispatch(type) {
    let prevented = false;
    const event = { type, target: this, preventDefault() { prevented = true; } };
    for (const fn of this.listeners[type] ?? []) fn(event);
    return !prevented;
  }
}
const elements = {};
for (const [id, init] of Object.entries(input.elements)) elements[id] = new Element(id, init);

// A worker runs on a thread of its own, as in a browser (so a slow rating
// does not stop the page), its script in a fresh global scope. pending
// counts the ratings asked for and not answered by a live worker.
const { Worker: NodeWorker } = require("node:worker_threads");
const workerMain = `
  const { parentPort, workerData } = require("node:worker_threads");
  const vm = require("node:vm");
  const scope = { postMessage: (data) => parentPort.postMessage(data) };
  scope.self = scope;
  vm.runInContext(workerData, vm.createContext(scope));
  parentPort.on("message", (data) => scope.onmessage({ data }));`;
let pending = 0, lastPosted = null;
const started = [];
class Worker {
  constructor(url) {
    const source = input.workers[url];
    if (source === undefined) throw new Error("no worker at " + url);
    out.workersStarted++;
    this.outstanding = 0;
    this.thread = new NodeWorker(workerMain, { eval: true, workerData: source });
    this.thread.on("message", (data) => {
      this.outstanding--;
      pending--;
      if (this.onmessage) this.onmessage({ data });
    });
    this.thread.on("error", (err) => { console.error(err); process.exit(2); });
    started.push(this);
  }
  postMessage(data) {
    lastPosted = JSON.parse(JSON.stringify(data)); // a structured clone, as sent
    this.outstanding++;
    pending++;
    this.thread.postMessage(data);
  }
  terminate() {
    pending -= this.outstanding;
    this.outstanding = 0;
    this.thread.terminate();
  }
}

const page = {
  URLSearchParams, // Node globals, not part of the language, so handed in
  setTimeout, clearTimeout,
  Worker,
  location: { hash: input.hash, pathname: input.pathname },
  history: {
    replaceState(state, title, url) {
      // String() so a missing URL shows as "undefined" instead of vanishing
      // from the JSON: a browser would keep the old URL, fragment and all.
      out.replaceState.push({ state, title, url: String(url) });
    },
  },
  document: { getElementById: (id) => elements[id] ?? null },
};
vm.runInNewContext(input.script, page);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function idle() {
  do await sleep(5); while (pending > 0);
}

(async () => {
  await idle();
  for (const step of input.steps ?? []) {
    for (const [id, value] of Object.entries(step.set ?? {})) elements[id].value = value;
    if (step.input) elements[step.input].dispatch("input");
    if (step.click) elements[step.click].dispatch("click");
    if (step.waitMs) await sleep(step.waitMs); // the rep types on, ready or not
    else await idle();
    const seen = (id) => elements[id] ? elements[id].textContent : undefined;
    const snap = { label: seen("strengthLabel"), labelClass: elements.strengthLabel?.className,
      need: seen("strengthNeed"), warning: seen("strengthWarning"), tips: seen("strengthTips"),
      meterHidden: elements.meter?.hidden, inputs: lastPosted?.inputs ?? null,
      types: [elements.newPassword.type, elements.confirmPassword.type],
      toggle: { hidden: elements.showPasswords?.hidden, text: elements.showPasswords?.textContent,
        pressed: elements.showPasswords?.attributes["aria-pressed"] } };
    if (step.submit) {
      snap.posts = elements.resetForm.dispatch("submit");
      snap.formError = elements.formError.hidden ? "" : elements.formError.textContent;
    }
    out.steps.push(snap);
  }
  for (const [id, el] of Object.entries(elements)) if (el.tag === "input") out.fields[id] = String(el.value);
  for (const w of started) w.thread.terminate();
  process.stdout.write(JSON.stringify(out));
})();
