import { readFileSync } from 'node:fs';
import { startKeaServers, type Dhcp4Config, type KeaVersion } from './kea-multi.js';

// Runs inside a network namespace (nsenter --net=...): starts a Kea pair from two Dhcp4 maps
// (JSON files) listening for DHCP on `iface` (or `a,b`: one interface each), waits for both to reach `state`, prints "READY <states>"
// and keeps them running until stdin ends; then stops them (by PID) and exits.
// `node kea-pair-in-netns.js <version> <a.json> <b.json> <state> <iface>`

const [version, a, b, state, iface] = process.argv.slice(2) as [KeaVersion, string, string, string, string];
const maps = [a, b].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Dhcp4Config);
const servers = await startKeaServers({
  version,
  servers: (['server1', 'server2'] as const).map((name, i) => ({
    name,
    host: `127.0.0.${i + 1}`,
    dhcp4: { ...maps[i]!, 'interfaces-config': { interfaces: [iface.split(',')[i] ?? iface] } },
  })),
});
let code = 0;
try {
  await Promise.all(['server1', 'server2'].map((n) => servers.waitForHaState(n, state, 30000)));
  const states = await Promise.all(servers.servers.map((s) => s.haStates()));
  process.stdout.write(`READY ${states.map((s) => s.join(',')).join(' ')}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('data', () => undefined);
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
  });
  process.stdout.write(
    `LOGS\n${servers.servers
      .map((s) =>
        s
          .log()
          .split('\n')
          .filter((l) => /DHCP4_|DHCPSRV_|IFACE|HA_|WARN|ERROR/.test(l) && !/status-get|COMMAND_RECEIVED|HA_.*HEARTBEAT/.test(l))
          .slice(-25)
          .join('\n'),
      )
      .join('\n')}\n`,
  );
} catch (err) {
  process.stdout.write(`FAILED ${(err as Error).message}\n`);
  code = 1;
} finally {
  await servers.stop();
}
process.exit(code);
