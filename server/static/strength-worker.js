// The reset page's strength worker. The server serves this file followed by
// zxcvbn/zxcvbn.js (zxcvbn 4.4.2 as published, unchanged), which defines
// self.zxcvbn. The page posts {seq, password, inputs} and gets back the score
// and feedback under the same seq. Scoring off the page's thread keeps typing
// smooth even when a long paste takes zxcvbn seconds.
"use strict";
self.onmessage = function (e) {
  var r = self.zxcvbn(e.data.password, e.data.inputs);
  self.postMessage({ seq: e.data.seq, score: r.score, warning: r.feedback.warning, suggestions: r.feedback.suggestions });
};
