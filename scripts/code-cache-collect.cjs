// Preloaded (`node -r`) by scripts/code-cache.mjs into a run of the built CLI: compiles the
// bundle through bin/code-cache.cjs and, when the run ends, writes each file's V8 code cache
// beside it. Written after the run, so the cache also holds the functions the run compiled.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { useCodeCache } = require('../bin/code-cache.cjs');

const scripts = new Map();
useCodeCache(join(__dirname, '../dist/bundle'), (filename, script) => scripts.set(filename, script));
process.on('exit', () => {
  for (const [filename, script] of scripts) writeFileSync(`${filename}.v8`, script.createCachedData());
});
