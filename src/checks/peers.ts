import { classifyIPv4, parseIPv4 } from '../net/ipv4.js';
import type { ServerFacts } from '../facts.js';
import { factsOf } from './facts-of.js';
import { relationshipWith, situation } from './kea-pairing.js';
import { fail, pass, warn, type Check, type Outcome } from './types.js';

// Beyond the documented list, for Kea HA: the two configurations must describe the same pair.

const COMPLEMENTARY: Record<string, string[]> = {
  'hot-standby': ['primary', 'standby'],
  'load-balancing': ['primary', 'secondary'],
};

const isLoopback = (host: string | undefined) =>
  host === 'localhost' || (host !== undefined && parseIPv4(host) !== undefined && classifyIPv4(parseIPv4(host)!) === 'loopback');

function ownRole(rel: { thisServerName: string; peers: { name: string; role: string }[] }) {
  return rel.peers.find((p) => p.name === rel.thisServerName)?.role;
}

export const peers: Check = {
  id: 'peers',
  title: 'Kea HA: the two configurations describe the same pair',
  async run(ctx): Promise<Outcome> {
    const [local, partner, address] = await Promise.all([factsOf(ctx, 'local'), factsOf(ctx, 'partner'), ctx.partner()]);
    const l = local.facts;
    const p = partner.facts;
    if (l?.platform !== 'kea' || p?.platform !== 'kea') {
      return { status: 'skip', message: 'applies to a Kea pair (--local-source and --partner-source kea:<url>)', details: {} };
    }
    const failures: string[] = [];
    const warnings: string[] = [];
    const fixes: string[] = [];
    const sit = situation(l, p);

    // Debian's kea-ctrl-agent listens on 127.0.0.1 only: a remote peer's HA hook cannot reach it.
    const bound = p.kea?.agent.httpHost;
    if (isLoopback(bound) && !isLoopback(l.kea?.agent.host)) {
      warnings.push(`the partner's Control Agent listens on ${bound} only, but the local server is remote`);
      fixes.push('Set "http-host" in the partner\'s kea-ctrl-agent.conf to an address the local server can reach.');
    }

    const configured = [l.kea?.haConfigured === true, p.kea?.haConfigured === true];
    if (configured[0] !== configured[1]) {
      // Half a pair: the relationships check judges whether the configured side is taken.
      const which = configured[0] ? 'local' : 'partner';
      warnings.push(`only the ${which} server has HA configured (${urls(configured[0] ? l : p)})`);
      fixes.push('Configure HA on both servers with the same "high-availability" peers list.');
    } else if (sit === 'configured pair') {
      const mine = relationshipWith(l, p, address.address);
      const theirs = relationshipWith(p, l);
      if (!mine) failures.push(`the local server's HA peers do not name the partner (${urls(l)})`);
      if (!theirs) failures.push(`the partner's HA peers do not name the local server (${urls(p)})`);
      if (mine && theirs) {
        if (mine.thisServerName === theirs.thisServerName) failures.push(`both servers call themselves "${mine.thisServerName}" (this-server-name must differ)`);
        if (mine.mode !== theirs.mode) failures.push(`the modes differ: ${mine.mode} here, ${theirs.mode} on the partner`);
        const roles = [ownRole(mine), ownRole(theirs)].sort().join(' + ');
        const expected = COMPLEMENTARY[mine.mode]?.slice().sort().join(' + ');
        if (expected && roles !== expected) failures.push(`the roles are ${roles}; ${mine.mode} needs ${expected}`);
      }
      if (failures.length > 0) fixes.push('Give both servers the same "high-availability" peers list (same names, URLs, roles), each with its own this-server-name.');
    }

    const details = { situation: sit, ...(failures.length > 0 ? { problems: failures } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
    if (failures.length > 0) return fail(`The HA configurations do not describe the same pair:\n${[...failures, ...warnings].map((f) => `  ${f}`).join('\n')}`, { details, fix: fixes.join(' ') });
    if (warnings.length > 0) return warn(warnings.join('; '), { details, fix: fixes.join(' ') });
    return pass(sit === 'configured pair' ? 'the HA peers, names and roles agree on both servers' : 'before setup: nothing configured yet to compare', { details });
  },
};

function urls(facts: ServerFacts): string {
  const list = facts.kea?.haRelationships?.flatMap((r) => r.peers.map((p) => `${p.name} ${p.url}`)) ?? [];
  return list.length > 0 ? `peers: ${list.join(', ')}` : 'no HA peers configured';
}
