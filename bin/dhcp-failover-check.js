#!/usr/bin/env node
// dist/ is a build output: a checkout that was never built says so in one line, not a stack trace.
let main;
try {
  ({ main } = await import('../dist/bundle/cli.js'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/bundle/cli.js')) throw err;
  process.stderr.write('dhcp-failover-check: not built: run `npm run build` in the checkout (or install the package from npm / `npm pack`)\n');
  process.exit(4);
}
process.exitCode = await main(process.argv.slice(2));
