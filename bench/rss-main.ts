// The CLI in-process, calling main() as bin/dhcp-failover-check.cjs does (from tsc's output), plus
// one line on fd 3 at exit: this process's resource usage (maxRSS in KiB = the CLI's peak RSS).
import { writeSync } from 'node:fs';
import { main } from '../src/cli.js';

process.on('exit', () => {
  const u = process.resourceUsage();
  writeSync(3, JSON.stringify({ maxRssKiB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
});
process.exitCode = await main(process.argv.slice(2));
