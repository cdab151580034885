import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerFacts } from '../../src/facts.js';
import type { DhcpdFacts } from '../../src/sources/dhcpd/facts.js';
import { parseDhcpdConf } from '../../src/sources/dhcpd/parse.js';
import { dhcpdConfFacts } from '../../src/sources/dhcpd/source.js';

// Two dhcpd.conf files of a healthy pair (the recipe's), with parts replaceable per test, read
// through the real parser into the facts the platform judges.

const dir = mkdtempSync(join(tmpdir(), 'dhcpd-rules-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

export interface SideParts {
  name?: string;
  role?: string;
  address?: string;
  port?: string;
  peerAddress?: string;
  peerPort?: string;
  /** The statements after the ports (mclt, split, ...). */
  tuning?: string;
  /** Everything after the failover peer block. */
  subnets?: string;
}

const pool = (peer: string, range = '10.99.0.100 10.99.0.200', extra = '') =>
  `subnet 10.99.0.0 netmask 255.255.255.0 {\n  pool {\n    failover peer "${peer}";\n${extra}    range ${range};\n  }\n}\n`;

export function confText(side: 'primary' | 'secondary', parts: SideParts = {}): string {
  const me = side === 'primary' ? { a: '127.0.0.1', p: '647' } : { a: '127.0.0.2', p: '847' };
  const other = side === 'primary' ? { a: '127.0.0.2', p: '847' } : { a: '127.0.0.1', p: '647' };
  const name = parts.name ?? 'dhcp-failover';
  const tuning = parts.tuning ?? (side === 'primary' ? '  mclt 600;\n  split 128;\n  load balance max seconds 3;\n' : '  load balance max seconds 3;\n');
  return (
    `failover peer "${name}" {\n  ${parts.role ?? side};\n  address ${parts.address ?? me.a};\n  port ${parts.port ?? me.p};\n` +
    `  peer address ${parts.peerAddress ?? other.a};\n  peer port ${parts.peerPort ?? other.p};\n  max-response-delay 60;\n${tuning}}\n` +
    (parts.subnets ?? pool(name))
  );
}

export { pool };

export function factsOf(text: string, live: Partial<DhcpdFacts> = {}): ServerFacts {
  const file = join(dir, `c${n++}.conf`);
  writeFileSync(file, text);
  const f = dhcpdConfFacts(parseDhcpdConf(file));
  Object.assign(f.dhcpd!, live);
  return f;
}

export const pairOf = (local: string, partner: string, live: { local?: Partial<DhcpdFacts>; partner?: Partial<DhcpdFacts> } = {}) => ({
  local: factsOf(local, live.local),
  partner: factsOf(partner, live.partner),
  partnerAddress: '127.0.0.2',
});
