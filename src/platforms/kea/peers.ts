import { classifyIPv4, parseIPv4 } from '../../net/ipv4.js';
import type { ServerFacts } from '../../facts.js';
import type { KeaHaRelationship } from '../../sources/kea/types.js';
import type { Pair, PairingVerdict } from '../types.js';
import { haRulesErrors } from './ha-versions.js';
import { matchPair, ownPeer, relationshipsOf, situation } from './pairing.js';
import { keaPairFindings } from './pair-rules.js';

// The pairing rule behind `peers`: both HA configurations describe the same pair.

const COMPLEMENTARY: Record<string, string[]> = {
  'hot-standby': ['primary', 'standby'],
  'load-balancing': ['primary', 'secondary'],
};

const isLoopback = (host: string | undefined) =>
  host === 'localhost' || (host !== undefined && parseIPv4(host) !== undefined && classifyIPv4(parseIPv4(host)!) === 'loopback');

/** Two peer URLs name the same listener when they parse to the same origin. */
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}

export function urls(facts: ServerFacts): string {
  const list = relationshipsOf(facts).flatMap((r) => r.peers.map((p) => `${p.name} ${p.url}`));
  return list.length > 0 ? `peers: ${list.join(', ')}` : 'no HA peers configured';
}

/** Every disagreement between the two sides' lists of the same relationship. */
function disagreements(mine: KeaHaRelationship, theirs: KeaHaRelationship): string[] {
  const out: string[] = [];
  if (mine.thisServerName === theirs.thisServerName) out.push(`both servers call themselves "${mine.thisServerName}" (this-server-name must differ)`);
  if (mine.mode !== theirs.mode) out.push(`the modes differ: ${mine.mode} here, ${theirs.mode} on the partner`);
  const names = [...new Set([...mine.peers, ...theirs.peers].map((p) => p.name))];
  for (const name of names) {
    const a = mine.peers.find((p) => p.name === name);
    const b = theirs.peers.find((p) => p.name === name);
    if (!a || !b) {
      out.push(`peer "${name}" is listed on the ${a ? 'local server' : 'partner'} only`);
      continue;
    }
    if (!sameUrl(a.url, b.url)) {
      const whose =
        name === theirs.thisServerName
          ? ` (the partner says it listens at ${b.url})`
          : name === mine.thisServerName
            ? ` (the local server says it listens at ${a.url})`
            : '';
      out.push(`peer "${name}": URL ${a.url} here, ${b.url} on the partner${whose}`);
    }
    if (a.role !== b.role) out.push(`peer "${name}": role ${a.role} here, ${b.role} on the partner`);
  }
  const roles = [ownPeer(mine)?.role, ownPeer(theirs)?.role].map(String).sort().join(' + ');
  const expected = COMPLEMENTARY[mine.mode]?.slice().sort().join(' + ');
  if (expected && mine.mode === theirs.mode && roles !== expected) out.push(`the roles are ${roles}; ${mine.mode} needs ${expected}`);
  return out;
}

export function keaPairing(pair: Pair): PairingVerdict {
  const { local: l, partner: p } = pair;
  const sit = situation(l, p);
  const failures: string[] = [];
  const warnings: string[] = [];
  const fixes: string[] = [];

  // Debian's kea-ctrl-agent listens on 127.0.0.1 only: a remote peer cannot reach it.
  const bound = p?.kea?.agent?.httpHost;
  if (isLoopback(bound) && !isLoopback(l?.kea?.agent?.host)) {
    warnings.push(`the partner's Control Agent listens on ${bound} only, but the local server is remote`);
    fixes.push('Set "http-host" in the partner\'s kea-ctrl-agent.conf to an address the local server can reach.');
  }

  // What kea-dhcp4 itself would refuse to load (its `-t` mode loads no hooks, so it never says).
  for (const [role, f] of [
    ['local', l],
    ['partner', p],
  ] as const) {
    if (!f?.kea?.haHookLoaded) continue;
    // Without a version (a file before deploy, no --kea-version): the rules of every supported Kea.
    for (const e of haRulesErrors(relationshipsOf(f), f.version)) failures.push(`${e.who} would refuse the ${role} server's HA configuration: ${e.text}`);
  }
  if (failures.length > 0)
    fixes.push('Correct the HA configuration Kea refuses (kea-dhcp4 logs HA_CONFIGURATION_FAILED with the same words and does not start).');

  const configured = [l?.kea?.haConfigured === true, p?.kea?.haConfigured === true];
  if (l && p && configured[0] !== configured[1]) {
    // Half a pair: the relationships check judges whether the configured side is taken.
    const which = configured[0] ? 'local' : 'partner';
    warnings.push(`only the ${which} server has HA configured (${urls(configured[0] ? l : p)})`);
    fixes.push('Configure HA on both servers with the same "high-availability" peers list.');
  } else if (l && p && sit === 'configured pair') {
    const m = matchPair(l, p, pair.partnerAddress);
    if (!m.local) failures.push(`the local server's HA peers do not name the partner (${urls(l)})`);
    if (!m.partner) failures.push(`the partner's HA peers do not name the local server (${urls(p)})`);
    if (m.local && m.partner) failures.push(...disagreements(m.local, m.partner));
    if (failures.length > 0)
      fixes.push(
        'Give both servers the same "high-availability" entry for this pair (same peer names, URLs, roles and mode), each with its own this-server-name.',
      );
  }
  const findings = keaPairFindings(pair);
  const summary =
    sit === 'configured pair' ? 'the HA peers, URLs, names, roles and mode agree on both servers' : 'before setup: nothing configured yet to compare';
  return { situation: sit, failures, warnings, fixes, summary, ...(findings.length > 0 ? { findings } : {}) };
}
