// A stand-in for the few browser parts the reset page's inline script
// touches, so web_script_test.go can run the real script under Node. It reads
// {script, hash, pathname, fields: {id: value}} as JSON on stdin and prints
// what the script did: the fields' values afterwards, every
// history.replaceState call and every field that got focus, in order.
"use strict";
const vm = require("node:vm");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const out = { fields: {}, replaceState: [], focused: [] };
const elements = {};
for (const [id, value] of Object.entries(input.fields)) {
  elements[id] = { value, focus() { out.focused.push(id); } };
}
vm.runInNewContext(input.script, {
  URLSearchParams, // a Node global, not part of the language, so handed in
  location: { hash: input.hash, pathname: input.pathname },
  history: {
    replaceState(state, title, url) {
      // String() so a missing URL shows as "undefined" instead of vanishing
      // from the JSON: a browser would keep the old URL, fragment and all.
      out.replaceState.push({ state, title, url: String(url) });
    },
  },
  document: { getElementById: (id) => elements[id] ?? null },
});
for (const [id, el] of Object.entries(elements)) out.fields[id] = String(el.value);
process.stdout.write(JSON.stringify(out));
