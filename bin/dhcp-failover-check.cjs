#!/usr/bin/env node
// CommonJS, like the bundle it loads: Node requires it without starting the ES module loader.
// dist/ is a build output: a checkout that was never built says so in one line, not a stack trace.
'use strict';
let main;
try {
  require('./code-cache.cjs').useCodeCache(require('node:path').join(__dirname, '../dist/bundle'));
  ({ main } = require('../dist/bundle/cli.cjs'));
} catch (err) {
  if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes('dist/bundle/cli.cjs')) throw err;
  process.stderr.write('dhcp-failover-check: not built: run `npm run build` in the checkout (or install the package from npm / `npm pack`)\n');
  process.exit(4);
}
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
