import type { ServerFacts } from '../facts.js';
import { parseDhcpdConf } from '../sources/dhcpd/parse.js';
import { dhcpdConfFacts } from '../sources/dhcpd/source.js';
import type { DhcpdConf } from '../sources/dhcpd/types.js';
import { readGuarded } from '../util/read-guarded.js';

/** One dhcpd.conf of the pair being migrated: as parsed, and the facts the platform rules judge. No OMAPI, no dhcpd -t: files only. */
export interface DhcpdSide {
  conf: DhcpdConf;
  facts: ServerFacts;
}

export async function readDhcpdSide(path: string): Promise<DhcpdSide> {
  const { bytes } = await readGuarded(path, { purpose: 'server-config', label: 'dhcpd', timeoutMs: 5000 });
  const conf = parseDhcpdConf(path, { bytes });
  return { conf, facts: dhcpdConfFacts(conf) };
}
