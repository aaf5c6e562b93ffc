#!/usr/bin/env node
// gen-reference.js writes the verdicts of the reference zxcvbn 4.4.2 (the npm
// package, JavaScript) that the Go strength package is tested against:
//
//   reference-main.json     hand-picked and templated passwords (generator A, seed 20261127)
//   reference-heldout.json  a held-out set from a different generator (B, seed 9001) that
//                           samples zxcvbn's own word lists and keyboard graphs
//   reference-long.json     long passwords, 65 to 256 UTF-16 units (generator C, seed 4242)
//   reference-astral.json   257 to 512 UTF-16 units in at most 256 runes (generator D, seed 512):
//                           past 308 units a bruteforce guess count stops at the largest number
//
// The held-out set was generated and committed BEFORE any tuning of the Go
// port against it; it exists to measure agreement on passwords nobody looked
// at while writing the port. Do not edit generator B to make the Go side pass.
//
// Regenerate (the output is deterministic):
//
//   cd strength/testdata && npm install --no-save && node gen-reference.js
//
// Each file holds {zxcvbnVersion, referenceYear, generator, seed, messages, cases}
// where every case is {password, userInputs, score, warning, suggestions,
// guessesLog10, category}. referenceYear pins zxcvbn's REFERENCE_YEAR (it is
// "the current year" in both the JS and the Go code), so the files do not go
// stale on New Year's Day; the Go tests pin the same year.
//
// Sets A and B keep passwords of at most 40 UTF-16 units (the first Go port
// scored only a prefix of longer ones); set C holds the long ones.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const zxcvbn = require('zxcvbn');
const scoring = require('zxcvbn/lib/scoring');
const matching = require('zxcvbn/lib/matching');
const frequencyLists = require('zxcvbn/lib/frequency_lists');
const adjacencyGraphs = require('zxcvbn/lib/adjacency_graphs');

const ZXCVBN_VERSION = require('zxcvbn/package.json').version;
if (ZXCVBN_VERSION !== '4.4.2') {
  throw new Error(`need zxcvbn 4.4.2, found ${ZXCVBN_VERSION}`);
}

const REFERENCE_YEAR = 2026;
scoring.REFERENCE_YEAR = REFERENCE_YEAR;

const MAX_UNITS = 40; // longest password (UTF-16 code units) kept in sets A and B
// A case the reference needs longer than this for is left out of a set (set
// C's l33t-dense passwords can take the JavaScript library minutes).
const SLOW_MS = 60000;
const MAX_L33T_WORK = 2e6; // l33t tables × units², beyond which a case is left out unrun
const L33T_TABLE = { a: ['4', '@'], b: ['8'], c: ['(', '{', '[', '<'], e: ['3'], g: ['6', '9'], i: ['1', '!', '|'],
  l: ['1', '|', '7'], o: ['0'], s: ['$', '5'], t: ['+', '7'], x: ['%'], z: ['2'] };

// mulberry32: a small seeded PRNG, so the sets are the same on every run.
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    float: next,
    int: (n) => Math.floor(next() * n),
    pick(arr) { return arr[Math.floor(next() * arr.length)]; },
    chance(p) { return next() < p; },
  };
}

// userInputs mirrors strength.UserInputs(username, email) in Go: company and
// product words first, then the username, then the parts of the username and
// the email split on . _ - + @, lowercased, without empties or repeats.
function userInputs(username, email) {
  const out = [];
  const add = (s) => {
    s = s.trim().toLowerCase();
    if (s !== '' && !out.includes(s)) out.push(s);
  };
  ['inzant', 'sales', 'plus', 'salesplus'].forEach(add);
  add(username);
  for (const s of [username, email]) s.split(/[._\-+@]/).forEach(add);
  return out;
}

function words(list) {
  const l = frequencyLists[list];
  return Array.isArray(l) ? l : l.split(',');
}

// The exact English strings of src/feedback.coffee, read from the installed
// package so the Go test can check its message constants against them.
function feedbackMessages() {
  const src = fs.readFileSync(require.resolve('zxcvbn/lib/feedback.js'), 'utf8');
  const found = new Set();
  // Every message starts with a capital letter; code fragments between two
  // literals never do.
  for (const m of src.matchAll(/'([A-Z][^'\n]*)'|"([A-Z][^"\n]*)"/g)) found.add(m[1] || m[2]);
  return [...found].sort();
}

function verdict(password, inputs, category) {
  const r = zxcvbn(password, inputs);
  return {
    password,
    userInputs: inputs,
    score: r.score,
    warning: r.feedback.warning,
    suggestions: r.feedback.suggestions,
    guesses: r.guesses,
    guessesLog10: Math.round(r.guesses_log10 * 1000) / 1000,
    category,
  };
}

function write(file, generator, seed, cases, minUnits = 0, maxUnits = MAX_UNITS) {
  const seen = new Set();
  const kept = [];
  for (const c of cases) {
    const key = JSON.stringify([c.password, c.inputs]);
    const units = c.password.length;
    if (seen.has(key) || units < minUnits || units > maxUnits || Array.from(c.password).length > 256) continue;
    seen.add(key);
    if (maxUnits <= MAX_UNITS) {
      kept.push(verdict(c.password, c.inputs, c.category));
      continue;
    }
    // The reference repeats its dictionary pass once per l33t table: a
    // long password with many tables would take it minutes.
    const tables = matching.enumerate_l33t_subs(matching.relevant_l33t_subtable(c.password, L33T_TABLE)).length;
    if (tables * units * units > MAX_L33T_WORK) {
      console.log(`${file}: left out ${JSON.stringify(c.password)} (${c.category}): ${tables} l33t tables × ${units}² units`);
      continue;
    }
    // A long case runs in a child process that is stopped after SLOW_MS.
    const run = spawnSync(process.execPath, [__filename, '--one'], {
      input: JSON.stringify(c), timeout: SLOW_MS, encoding: 'utf8', maxBuffer: 1 << 24,
    });
    if (run.status !== 0) {
      console.log(`${file}: left out ${JSON.stringify(c.password)} (${c.category}): no verdict within ${SLOW_MS} ms`);
      continue;
    }
    kept.push(JSON.parse(run.stdout));
  }
  const out = {
    zxcvbnVersion: ZXCVBN_VERSION,
    referenceYear: REFERENCE_YEAR,
    generator,
    seed,
    messages: feedbackMessages(),
    cases: kept,
  };
  fs.writeFileSync(path.join(__dirname, file), JSON.stringify(out, null, 1) + '\n');
  const scores = [0, 0, 0, 0, 0];
  kept.forEach((c) => scores[c.score]++);
  console.log(`${file}: ${kept.length} cases, scores 0..4: ${scores.join(' ')}`);
}

// ---------------------------------------------------------------------------
// Generator A (main set): hand-picked passwords by category plus templates.
// ---------------------------------------------------------------------------
function generatorA(seed) {
  const rnd = prng(seed);
  const cases = [];
  const add = (category, list, inputs = []) => {
    for (const p of list) cases.push({ category, password: p, inputs });
  };

  add('common', ['password', '123456', '12345678', 'qwerty', 'letmein', 'iloveyou', 'monkey', 'dragon',
    'football', 'baseball', 'welcome', 'admin', 'abc123', 'trustno1', 'sunshine', 'princess', 'shadow',
    'master', '111111', '000000', 'passw0rd', 'Password1', 'Password123', 'password!', 'qwerty123',
    'iloveyou2', 'starwars', 'whatever', 'freedom', 'michael', 'superman', 'batman', 'login', 'hello123',
    'changeme', 'secret', 'Welcome1!', 'Summer2024!!', 'Winter2023', 'Spring2025?', 'k9#Tm2!q']);
  add('names+years', ['john1985', 'Maria2024', 'Jessica1990!', 'michael88', 'Sarah_2001', 'david2010',
    'Emily1999', 'robert1975', 'Jennifer83', 'smith2000', 'ashley12', 'Thomas!1967', 'chris2026',
    'anna2019!', 'Kevin_88', 'LauraSmith1992', 'garcia1970', 'Daniel2015$']);
  add('l33t', ['p@ssw0rd', 'P@$$w0rd!', 's3cur1ty', 'l0v3ly', '5unsh1n3', 'm0nk3y!', 'Tr0ub4dor&3',
    'dr@g0n2020', 'h4ck3r', '1337h4x0r', 'b4s3b4ll', 'Fr33d0m!', '@dm1n1str4t0r', 'c0mput3r',
    'pr1nc3$$', '$h@d0w', 'w3lc0m3!', 'Sh4d0w_99', 'l!ttl3|3', 'gr3@tn3ss', 'pa55word', '7r0ub|e']);
  add('reversed', ['drowssap', 'nogard', 'yeknom', 'retsam', 'Drowssap1', 'enihsnus', 'noitadnuof']);
  add('keyboard', ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx', 'qazwsx', '!QAZ2wsx', '1q2w3e4r',
    'poiuytrewq', 'zaq12wsx', 'asdf;lkj', '147258369', '7894561230', 'qwertz', 'azerty', 'QWERTYUIOP',
    'qwer1234', '1qazxsw2', 'mnbvcxz', 'plokijuh', 'aoeuidhtns', 'ZXCVBNM<>?', '963852741', '!@#$%^&*()',
    'qwe123asd', '1234qwer!']);
  add('dates', ['19/07/1985', '1985-07-19', '07071985', '12.25.2000', '010190', '2001-09-11',
    '31121999', '1/1/2000', 'may1987', 'june2003!', '14-02-2014', '19850719', '11.11.11', '4/20/1969']);
  add('repeats', ['aaaaaaaa', 'abcabcabc', '123123123', 'xyzxyzxyz!', 'hahahaha', 'zzzzzzzzzz', '!!!!!!!!',
    'qqqqqqqq1', 'lollollol', 'ababababab', '11111111', 'passwordpassword', 'Aa1Aa1Aa1', '$$$$$$']);
  add('sequences', ['abcdefgh', '12345678', '9876543210', 'zyxwvuts', 'acegikmo', '13579', 'abcdef123',
    'ABCDEFG!', '0123456789', 'mnopqrst', '2468101214', 'lmnop', '98765', 'XYZ123', 'defghijk1']);
  add('passphrases', ['correct horse battery staple', 'correcthorsebatterystaple', 'purple monkey dishwasher',
    'the quick brown fox', 'ilovemydog', 'mydogisthebest', 'Tr0ub4dour&3 horse', 'coffee tea milk',
    'sunny beach day', 'LetMeInPlease', 'whereismycar?', 'open sesame', 'iliketurtles', 'CorrectHorse',
    'Blue Sky Green Grass', 'rabbit window orange', 'maybe tomorrow again', 'seven lazy dogs jump']);
  add('unicode', ['pässwörd', 'contraseña123', '密码123456', 'пароль', 'Passwort!', 'ÇaVaBien2020',
    '🔥🔥🔥🔥', 'I❤️NY2024', 'naïve café', 'ǅungla', 'mañana2025', 'Straße1990', 'Ωμέγα123',
    'ΑΒΓΔΕΖ', 'пароль123', '我的密码很安全', 'ñandú!', 'über-cool', 'Zoë&Chloé', '日本語パスワード',
    '😀😀😀😀😀😀', 'abc😀def', 'e\u0301e\u0301e\u0301', 'crème brûlée', 'a\ufffdb\ufffdc12345', 'x\u0000y\u0000z',
    'Ünïcödé!2024', 'ﬁnance', 'İstanbul34', 'ß', '🙂']);
  // Where trustelem alone departs from the reference (see zxcvbn.go).
  add('trustelem-deviations', ['7er1s@0258', 'LINDA<4s$0ndr4123456', 'qtwz}\u0080\u0083.0#', 'ΑΒΓΔΕΖ',
    '🔥🔥🔥🔥', 'İstanbul34', 'blackcoc😆😁🤣', '😉😅😉😊😆#-20', 'iaaueeieoeaaaeo031123456бнивйэгйттес']);
  add('trustelem-deviations', ['zoë1999', 'Ødegård!', 'zoëzoë', 'drågedø'], userInputs('zoë.ødegård', 'zoe@inzant.com'));
  // Ties: two matches of the same span with equal guesses (a submatch's
  // guesses are floored at 50), where the search keeps the first in
  // omnimatch's order (dictionary, reversed, l33t, spatial, repeat, sequence,
  // regex, date; user inputs after the word lists) and the feedback depends on
  // which one that is.
  add('match-order', ['654321!', '123456!']);
  add('match-order', ['1111!'], userInputs('rep-1111', 'rep1111@inzant.com'));
  add('match-order', ['drowssap!'], userInputs('drowssap', 'it@inzant.com'));
  add('match-order', ['kram!'], userInputs('kram.smith', 'kram.smith@inzant.com'));
  add('match-order', ['1990!'], userInputs('john.1990', 'john1990@example.org'));
  add('match-order', ['abcd!'], userInputs('abcd', 'abcd@inzant.com'));
  add('match-order', ['anna!'], userInputs('anna', 'anna@inzant.com'));
  add('short', ['', 'a', '1', 'ab', '!', 'Aa1!', 'pass', 'qwe', 'x9', '12']);

  // Company and product words, alone and with the account's user inputs.
  const company = ['inzant', 'Inzant2024!', 'sales2024', 'SalesPlus1', 'salesplus!', 'plus1234', 'InzantSales',
    'sales@inzant', 'SALESPLUS', 'inzant123', 'Sales+Plus', 'sulpselas', 'Inz@nt!', 's@lesplus2025',
    'plusplus', 'mySalesPlus'];
  add('company', company);
  const accounts = [
    ['john.smith@inzant.com', 'john.smith@inzant.com'],
    ['maria_garcia', 'maria.garcia+sales@example.org'],
    ['k.tanaka', 'kenji.tanaka@inzant.co.jp'],
    ['rep-0042', 'sales.rep42@inzant.com'],
  ];
  for (const [u, e] of accounts) {
    const inputs = userInputs(u, e);
    add('company+inputs', company.slice(0, 10), inputs);
    const parts = inputs.slice(4);
    const w = rnd.pick(parts);
    const cap = w.charAt(0).toUpperCase() + w.slice(1);
    add('account+inputs', [w + '2024', cap + '!1', w + w, u, e.split('@')[0] + '123', cap + 'Inzant',
      w.split('').reverse().join('') + '99'], inputs);
    add('account-noinputs', [w + '2024', cap + '!1', u]);
  }

  // Templated: words from small built-in lists with digits, years and symbols.
  const base = ['sunshine', 'dragon', 'tiger', 'summer', 'winter', 'london', 'chelsea', 'hunter', 'orange',
    'coffee', 'pizza', 'rocket', 'silver', 'falcon', 'mustang', 'butterfly', 'purple', 'jordan', 'ginger'];
  const sym = '!@#$%&*?.';
  for (let i = 0; i < 40; i++) {
    let w = rnd.pick(base);
    if (rnd.chance(0.4)) w = w.charAt(0).toUpperCase() + w.slice(1);
    if (rnd.chance(0.2)) w = w.toUpperCase();
    if (rnd.chance(0.3)) w = w.replace(/a/g, '@').replace(/o/g, '0').replace(/e/g, '3');
    const tail = rnd.pick(['', String(1950 + rnd.int(80)), String(rnd.int(100)), String(rnd.int(10000)),
      rnd.pick(base)]);
    const s = rnd.chance(0.5) ? sym[rnd.int(sym.length)] : '';
    cases.push({ category: 'template', password: w + tail + s, inputs: [] });
  }

  // Random strings over several alphabets.
  const alphabets = {
    lower: 'abcdefghijklmnopqrstuvwxyz',
    alnum: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    full: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?~',
    digits: '0123456789',
    hex: '0123456789abcdef',
  };
  const names = Object.keys(alphabets);
  for (let i = 0; i < 45; i++) {
    const a = alphabets[names[i % names.length]];
    const n = 4 + rnd.int(21);
    let s = '';
    for (let k = 0; k < n; k++) s += a[rnd.int(a.length)];
    cases.push({ category: 'random', password: s, inputs: [] });
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Generator B (held-out set): compositions sampled from zxcvbn's own word
// lists and keyboard graphs with random transformations. Written before any
// tuning of the Go port against it.
// ---------------------------------------------------------------------------
function generatorB(seed) {
  const rnd = prng(seed);
  const lists = ['passwords', 'english_wikipedia', 'female_names', 'male_names', 'surnames', 'us_tv_and_film'];
  const l33t = { a: ['4', '@'], b: ['8'], c: ['(', '{', '[', '<'], e: ['3'], g: ['6', '9'], i: ['1', '!', '|'],
    l: ['1', '|', '7'], o: ['0'], s: ['$', '5'], t: ['+', '7'], x: ['%'], z: ['2'] };
  const word = () => {
    const list = words(rnd.pick(lists));
    // Bias towards common words (low ranks), as real passwords are.
    const rank = Math.floor(Math.pow(rnd.float(), 3) * list.length);
    return list[rank];
  };
  const transform = (w) => {
    const r = rnd.float();
    if (r < 0.15) return w.charAt(0).toUpperCase() + w.slice(1);
    if (r < 0.2) return w.toUpperCase();
    if (r < 0.3) return w.split('').reverse().join('');
    if (r < 0.45) return w.split('').map((c) => (l33t[c] && rnd.chance(0.6) ? rnd.pick(l33t[c]) : c)).join('');
    if (r < 0.5) return w.split('').map((c) => (rnd.chance(0.3) ? c.toUpperCase() : c)).join('');
    return w;
  };
  const walk = () => {
    const graphName = rnd.pick(Object.keys(adjacencyGraphs));
    const g = adjacencyGraphs[graphName];
    const keys = Object.keys(g);
    let k = rnd.pick(keys);
    let s = k;
    const n = 3 + rnd.int(9);
    let dir = rnd.int(g[k].length);
    for (let i = 0; i < n; i++) {
      if (rnd.chance(0.25)) dir = rnd.int(g[k].length);
      const next = g[k][dir];
      if (!next) break;
      const ch = rnd.chance(0.15) && next.length > 1 ? next[1] : next[0];
      s += ch;
      k = next[0];
    }
    return s;
  };
  const date = () => {
    const y = 1900 + rnd.int(150);
    const m = 1 + rnd.int(12);
    const d = 1 + rnd.int(28);
    const pad = (n) => (rnd.chance(0.5) && n < 10 ? '0' + n : String(n));
    const yy = rnd.chance(0.4) ? String(y).slice(2) : String(y);
    const sep = rnd.pick(['', '', '/', '-', '.', '_', ' ']);
    const order = rnd.int(3);
    if (order === 0) return [pad(m), pad(d), yy].join(sep);
    if (order === 1) return [pad(d), pad(m), yy].join(sep);
    return [yy, pad(m), pad(d)].join(sep);
  };
  const digits = () => String(rnd.int(Math.pow(10, 1 + rnd.int(5))));
  const symbols = () => rnd.pick(['!', '!!', '?', '.', '#', '$', '*', '@', '_', '-', '&', '%', '~']);
  const randomString = () => {
    const alpha = rnd.pick([
      'abcdefghijklmnopqrstuvwxyz0123456789',
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~',
      'äöüßéèêñçøåæœ', 'αβγδεζηθικλμνξοπρστυφχψω', 'абвгдежзийклмнопрстуфхцчшщыэюя',
      '0123456789', 'aeiou', '😀😃😄😁😆😅🤣😂🙂🙃😉😊',
    ]);
    const chars = Array.from(alpha);
    let s = '';
    const n = 3 + rnd.int(14);
    for (let i = 0; i < n; i++) s += rnd.pick(chars);
    return s;
  };
  const repeatOf = (s) => s.repeat(2 + rnd.int(3));
  const seq = () => {
    const start = rnd.pick(['a', 'm', 'A', '0', '5', 'z', 'Z', '9', 'q']);
    const step = rnd.pick([1, 1, 1, -1, 2, 3]);
    const n = 3 + rnd.int(7);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(start.charCodeAt(0) + i * step);
    return s;
  };
  const piece = () => {
    const r = rnd.float();
    if (r < 0.45) return transform(word());
    if (r < 0.55) return walk();
    if (r < 0.63) return date();
    if (r < 0.73) return digits();
    if (r < 0.8) return symbols();
    if (r < 0.88) return randomString();
    if (r < 0.93) return seq();
    return repeatOf(rnd.chance(0.5) ? word().slice(0, 3) : rnd.pick(['a', '1', 'ab', 'xo', '!', 'z9']));
  };
  const accounts = () => {
    const first = words('male_names').concat(words('female_names'));
    const f = rnd.pick(first.slice(0, 500));
    const l = rnd.pick(words('surnames').slice(0, 2000));
    const u = rnd.pick([`${f}.${l}`, `${f[0]}${l}`, `${f}_${l}${rnd.int(100)}`]);
    const e = `${rnd.pick([f + '.' + l, f[0] + '.' + l, l + '+crm'])}@${rnd.pick(['inzant.com', 'example.org', 'mail.test'])}`;
    return { username: u, email: e, inputs: userInputs(u, e) };
  };

  const cases = [];
  while (cases.length < 330) {
    const n = 1 + rnd.int(4);
    let p = '';
    for (let i = 0; i < n; i++) p += (i > 0 && rnd.chance(0.15) ? rnd.pick([' ', '-', '_', '.']) : '') + piece();
    let inputs = [];
    let category = 'composed';
    if (rnd.chance(0.25)) {
      const acct = accounts();
      inputs = acct.inputs;
      category = 'composed+inputs';
      if (rnd.chance(0.6)) {
        const w = rnd.pick(inputs);
        p = rnd.chance(0.5) ? transform(w) + p : p + transform(w);
      }
    }
    cases.push({ category, password: p, inputs });
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Generator C (long set): passwords of 65 to 256 UTF-16 units, scored whole
// by the Go engine: long passphrases, words repeated past 64 characters, long
// sequences, l33t-dense text, accented, CJK and emoji text, dates inside long
// strings, and passwords built from the account's user inputs.
// ---------------------------------------------------------------------------

// userInputsNow mirrors today's strength.UserInputs (sets A and B keep the
// inputs they were made with): it also holds the email's local part as it is
// and without its separators.
function userInputsNow(username, email) {
  const out = userInputs(username, email);
  const at = email.indexOf('@');
  if (at >= 0) {
    const local = email.slice(0, at);
    const joined = local.split(/[._\-+@]/).join('');
    if (joined !== '') {
      const extra = [local, joined].map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && !out.includes(s));
      const k = out.indexOf(username.trim().toLowerCase()) + 1 || 4;
      out.splice(k, 0, ...extra.filter((s, i) => extra.indexOf(s) === i));
    }
  }
  return out;
}

function generatorC(seed) {
  const rnd = prng(seed);
  const cases = [];
  const lists = ['passwords', 'english_wikipedia', 'female_names', 'male_names', 'surnames', 'us_tv_and_film'];
  const l33t = { a: ['4', '@'], b: ['8'], c: ['(', '{', '[', '<'], e: ['3'], g: ['6', '9'], i: ['1', '!', '|'],
    l: ['1', '|', '7'], o: ['0'], s: ['$', '5'], t: ['+', '7'], x: ['%'], z: ['2'] };
  const word = (list, top) => {
    const w = words(list || rnd.pick(lists));
    return w[rnd.int(Math.min(top || w.length, w.length))];
  };
  const len = () => 65 + rnd.int(192); // target length in units
  const fill = (gen, n) => {
    let s = '';
    while (s.length < n) s += gen(s);
    return s.slice(0, n);
  };
  const add = (category, password, inputs = []) => cases.push({ category, password, inputs });
  const sep = () => rnd.pick([' ', ' ', '-', '', '.', '_']);
  const cap = (w) => w.charAt(0).toUpperCase() + w.slice(1);

  // Long passphrases of common words.
  for (let k = 0; k < 50; k++) {
    const sp = sep();
    const top = rnd.pick([100, 1000, 10000, 30000]);
    const n = len();
    let s = '';
    while (s.length < n) {
      let w = word('english_wikipedia', top);
      if (rnd.chance(0.2)) w = cap(w);
      s += (s ? sp : '') + w;
    }
    if (rnd.chance(0.3)) s += String(rnd.int(100));
    add('passphrase', s.slice(0, 256));
  }
  // A word or a short pattern repeated past 64 characters.
  const bases = ['summer', 'password', 'abc', 'ab', 'a', 'qwerty', 'iloveyou', 'abcdefghijklmnopqrstuvwxyz0123456789',
    'Summer2024!', 'x9', '123', 'lol', 'monkey!', 'P@ssw0rd', 'zxcvbn', 'hello world ', '😀', 'ñandú', '密码'];
  for (let k = 0; k < 50; k++) {
    const b = k < bases.length ? bases[k] : word(null, 500) + (rnd.chance(0.5) ? String(rnd.int(100)) : '');
    const times = Math.ceil((65 + rnd.int(150)) / b.length);
    let s = b.repeat(times);
    if (rnd.chance(0.3)) s = word(null, 1000) + s;
    if (rnd.chance(0.3)) s += rnd.pick(['!', '2024', '#1', 'x']);
    add('repeat', s.slice(0, 256));
  }
  // Long sequences, alone and mixed.
  for (let k = 0; k < 45; k++) {
    const step = rnd.pick([1, 1, -1, 2, -2, 3, 5]);
    const start = rnd.pick([0x21, 0x30, 0x41, 0x61, 0xe0, 0x391, 0x3b1, 0x410, 0x4e00, 0x3041]);
    const n = len();
    let s = '';
    let c = start + (step < 0 ? 200 : 0);
    while (s.length < n) {
      s += String.fromCharCode(c);
      c += step;
      if (rnd.chance(0.04)) c = start + rnd.int(60);
    }
    add('sequence', s);
  }
  // l33t-dense text: words with most letters replaced, symbols in runs.
  const symbols = '4@8({[<3%69!1|7+0$5+2';
  for (let k = 0; k < 70; k++) {
    const n = 65 + rnd.int(k < 35 ? 40 : 120);
    const dense = rnd.float();
    const s = fill(() => {
      if (rnd.chance(0.2)) return symbols[rnd.int(symbols.length)];
      return word(null, 3000).split('').map((ch) => (l33t[ch] && rnd.chance(0.4 + 0.6 * dense) ? rnd.pick(l33t[ch]) : ch)).join('');
    }, n);
    add('l33t', s);
  }
  // Accented, CJK and emoji text.
  const alphabets = ['àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿß', 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ', '密码安全强度春夏秋冬山水风火',
    'パスワードあいうえおかきくけこ', '😀😁😂🤣😃😄😅😆😉😊🙂🙃', 'αβγδεζηθικλμνξοπρστυφχψωΣ', 'абвгдежзийклмнопрстуфхцчшщ',
    'İıŞşĞğÇçÖöÜü', '👨‍👩‍👧‍👦🏳️‍🌈❤️✨🔥'];
  for (let k = 0; k < 60; k++) {
    const a = Array.from(rnd.pick(alphabets));
    const mixWords = rnd.chance(0.5);
    const s = fill(() => (mixWords && rnd.chance(0.3) ? word(null, 2000) : '') + a[rnd.int(a.length)], len());
    add('unicode', s);
  }
  // Dates inside long strings.
  const date = () => {
    const y = 1900 + rnd.int(150);
    const m = 1 + rnd.int(12);
    const d = 1 + rnd.int(28);
    const pad = (x) => (rnd.chance(0.5) && x < 10 ? '0' + x : String(x));
    const yy = rnd.chance(0.3) ? String(y).slice(2) : String(y);
    const sp = rnd.pick(['', '/', '-', '.', '_', ' ']);
    return rnd.pick([[pad(m), pad(d), yy], [pad(d), pad(m), yy], [yy, pad(m), pad(d)]]).join(sp);
  };
  for (let k = 0; k < 45; k++) {
    const s = fill(() => rnd.pick([date(), date(), word(null, 5000), String(rnd.int(10000)), rnd.pick(['!', ' ', '#', '-'])]), len());
    add('dates', s);
  }
  // User inputs: the account's words, whole and transformed, in long text.
  const first = words('male_names').concat(words('female_names'));
  for (let k = 0; k < 50; k++) {
    const f = rnd.pick(first.slice(0, 300));
    const l = rnd.pick(words('surnames').slice(0, 1000));
    const email = `${f}.${l}@${rnd.pick(['inzant.com', 'example.com'])}`;
    const inputs = userInputsNow(email, email);
    const s = fill(() => {
      const r = rnd.float();
      if (r < 0.5) {
        let w = rnd.pick(inputs);
        if (rnd.chance(0.3)) w = cap(w);
        if (rnd.chance(0.2)) w = w.split('').reverse().join('');
        if (rnd.chance(0.2)) w = w.split('').map((ch) => (l33t[ch] && rnd.chance(0.5) ? rnd.pick(l33t[ch]) : ch)).join('');
        return w;
      }
      if (r < 0.75) return word(null, 5000);
      return String(rnd.int(1000)) + rnd.pick(['', '!', '.', ' ']);
    }, len());
    add('user-inputs', s, inputs);
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Generator D (astral set): 257 to 512 UTF-16 units in at most 256 runes, so
// mostly characters outside the BMP (two units each), with words, l33t words,
// prototype names, digits and dates among them. Past 308 units the
// reference's bruteforce guesses stop at Number.MAX_VALUE and its sums reach
// Infinity and NaN.
// ---------------------------------------------------------------------------

function generatorD(seed) {
  const rnd = prng(seed);
  const cases = [];
  const astral = Array.from('😀😁😂🤣😃😄😅😆😉😊🙂🙃🌀🌁🌂🌃🌄🌅🌆🌇🔥✨👍🎉𝒜𝒷𝒸𠀀𠀁𠀂');
  const plain = ['password', 'love', 'smith', 'constructor', '__proto__', 'toString', 'qwerty', 'abcdef', 'aaaa',
    ' ', 'or', 'x'];
  // l33t symbols, digits and dates make many l33t tables: fewer of those survive the work bound.
  const mixed = plain.concat(['p@$$w0rd', 'c0n57ruc70r', '123456', '1985', '19/07/1985', '2001-09-11', '!']);
  for (let k = 0; k < 300; k++) {
    const pieces = k % 2 === 0 ? plain : mixed;
    const runes = 130 + rnd.int(127); // at most 256 runes
    const share = 0.6 + 0.4 * rnd.float(); // of astral characters
    let s = '';
    let n = 0;
    while (n < runes) {
      const piece = rnd.chance(share) ? rnd.pick(astral) : rnd.pick(pieces);
      const len = Array.from(piece).length;
      if (n + len > runes) break;
      s += piece;
      n += len;
    }
    const inputs = k % 3 === 0 ? userInputsNow('john.smith@inzant.com', 'john.smith@inzant.com') : [];
    cases.push({ category: 'astral', password: s, inputs });
  }
  return cases;
}

if (require.main === module && process.argv[2] === '--one') {
  const c = JSON.parse(fs.readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(verdict(c.password, c.inputs, c.category)));
} else if (require.main === module) {
  write('reference-main.json', 'A: hand-picked categories + templates', 20261127, generatorA(20261127));
  write('reference-heldout.json', 'B: compositions of zxcvbn word lists, keyboard walks, dates (held out)', 9001,
    generatorB(9001));
  write('reference-long.json', 'C: long passwords, 65-256 UTF-16 units', 4242, generatorC(4242), 65, 256);
  write('reference-astral.json', 'D: 257-512 UTF-16 units in at most 256 runes', 512, generatorD(512), 257, 512);
}

module.exports = { generatorA, generatorB, generatorC, generatorD, verdict, userInputs, userInputsNow };
