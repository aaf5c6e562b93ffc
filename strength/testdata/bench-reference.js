#!/usr/bin/env node
// bench-reference.js times the reference, the npm package zxcvbn 4.4.2, on
// the inputs BenchmarkWorstCaseSearch writes with -dump-hostile (slowest for
// the Go engine first), best of three each, so docs/benchmarks.md can give
// the ratio on the same inputs:
//
//   go test -run '^$' -bench WorstCaseSearch -benchtime 1x ./strength/ -args -dump-hostile /tmp/hostile.json
//   cd strength/testdata && node bench-reference.js /tmp/hostile.json 10
'use strict';

const fs = require('fs');
const zxcvbn = require('zxcvbn');

const inputs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] || 10);
zxcvbn('warm up', []);
for (const input of inputs.slice(0, n)) {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const start = process.hrtime.bigint();
    zxcvbn(input.password, input.userInputs);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`${input.family.padEnd(12)} ${String(Array.from(input.password).length).padStart(3)} runes  engine ${input.goMs.toFixed(2).padStart(8)} ms  reference ${best.toFixed(2).padStart(10)} ms`);
}
