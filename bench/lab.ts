import { createServer, type Server } from 'node:net';
import { startKeaPair, type KeaPair } from '../test/helpers/kea.js';
import { startChrony, type ChronyServer } from '../test/helpers/chrony.js';
import { log } from './util.js';

/**
 * The loopback lab the full run and the monitoring-plugins comparison use: a Kea 2.2 pair
 * ('before-setup': two servers, no HA hook yet — the moment the preflight is for), chronyd shifted
 * +20 s on 127.0.0.2, and a TCP listener on 127.0.0.2 standing in for the failover port.
 */
export interface Lab {
  partner: string;
  /** CLI arguments selecting these servers (without --only / --format). */
  args: string[];
  env: NodeJS.ProcessEnv;
  ntp: { host: string; port: number };
  failoverPort: number;
  describe: string;
  stop(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  let kea: KeaPair | undefined;
  let chrony: ChronyServer | undefined;
  let listener: Server | undefined;
  const stop = async () => {
    await Promise.allSettled([kea?.stop(), chrony?.stop(), new Promise<void>((r) => (listener ? listener.close(() => r()) : r()))]);
  };
  try {
    [kea, chrony] = await Promise.all([startKeaPair('before-setup'), startChrony({ shift: '+20s', address: '127.0.0.2' })]);
    // Accepts and closes at once, like a port a firewall lets through.
    listener = createServer((s) => s.destroy());
    await new Promise<void>((resolve, reject) => {
      listener!.once('error', reject);
      listener!.listen(0, '127.0.0.2', () => resolve());
    });
    const failoverPort = (listener.address() as { port: number }).port;
    const ntp = { host: chrony.host, port: chrony.port };
    log(
      `lab: kea ${kea.local.url} + ${kea.partner.url} (pids ${kea.local.dhcp4.pid},${kea.local.agent.pid},${kea.partner.dhcp4.pid},${kea.partner.agent.pid}), chronyd +20s ${ntp.host}:${ntp.port} (pid ${chrony.pid}), tcp 127.0.0.2:${failoverPort}`,
    );
    return {
      partner: '127.0.0.2',
      args: [
        '127.0.0.2',
        '--local-source',
        `kea:${kea.local.url.replace(/\/$/, '')}`,
        '--partner-source',
        `kea:${kea.partner.url.replace(/\/$/, '')}`,
        '--kea-user',
        kea.credentials.user,
        '--partner-ntp',
        `${ntp.host}:${ntp.port}`,
        '--failover-port',
        String(failoverPort),
      ],
      env: { KEA_PASSWORD: kea.credentials.password },
      ntp,
      failoverPort,
      describe: `Kea 2.2 pair (before-setup) on 127.0.0.1/127.0.0.2, chronyd +20 s on ${ntp.host}, TCP listener on 127.0.0.2`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
