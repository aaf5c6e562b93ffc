// A stand-in for the browser parts the reset page's inline script touches,
// so web_script_test.go can run the real script under Node. It reads JSON on
// stdin:
//
//   {script, hash, pathname,
//    elements: {id: {tag, value, type, hidden, textContent, attributes}},  // the page's elements with an id
//    workers: {url: source},                      // what new Worker(url) runs
//    steps: [{set: {id: value}, input: id, click: id, submit: true}]}
//
// and prints what the script did: the inputs' values afterwards, every
// history.replaceState call, every element that got focus, in order, and
// after each step (once the strength worker is idle) what the rep sees of
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

// Messages travel asynchronously, as structured clones, like a real
// worker's; pending counts those not yet delivered.
let pending = 0, lastPosted = null;
function deliver(fn, data) {
  pending++;
  setImmediate(() => { pending--; fn(JSON.parse(JSON.stringify(data))); });
}
class Worker {
  constructor(url) {
    const source = input.workers[url];
    if (source === undefined) throw new Error("no worker at " + url);
    out.workersStarted++;
    this.terminated = false;
    const self = { postMessage: (data) => deliver((d) => { if (!this.terminated && this.onmessage) this.onmessage({ data: d }); }, data) };
    self.self = self;
    this.scope = vm.createContext(self);
    vm.runInContext(source, this.scope);
  }
  postMessage(data) {
    lastPosted = data;
    deliver((d) => { if (!this.terminated) this.scope.onmessage({ data: d }); }, data);
  }
  terminate() { this.terminated = true; }
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

async function idle() {
  do await new Promise(setImmediate); while (pending > 0);
}

(async () => {
  await idle();
  for (const step of input.steps ?? []) {
    for (const [id, value] of Object.entries(step.set ?? {})) elements[id].value = value;
    if (step.input) elements[step.input].dispatch("input");
    if (step.click) elements[step.click].dispatch("click");
    await idle();
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
  process.stdout.write(JSON.stringify(out));
})();
