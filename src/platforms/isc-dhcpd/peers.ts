import type { ServerFacts } from '../../facts.js';
import type { DhcpdLiveState } from '../../sources/dhcpd/facts.js';
import type { DhcpdFailoverPeer } from '../../sources/dhcpd/types.js';
import type { Pair, PairingVerdict } from '../types.js';
import { DEFAULT_PORT, addressesOf, matchPeers, peersOf } from './match.js';
import { dhcpdPairFindings } from './pair-rules.js';

// The pairing rule behind `peers`: the two dhcpd.conf files describe one failover pair. dhcpd
// checks only its own file, one error at a time, at start; these are its rules (server/confpars.c,
// server/failover.c), in its words where it has them, applied to both files at once.

/** dhcpd's own words (confpars.c parse_failover_peer, dhcpd.c's referring-pools check). */
export const DHCPD_SAYS = {
  mclt: 'primary failover server must have mclt.',
  split: 'primary failover server must have hba or split.',
  secondaryLoadBalance: 'secondary may not define load balance settings.',
  peerAddress: 'peer address may not be omitted',
  noPools: (name: string) => `Failover peer, ${name}, has no referring pools.`,
} as const;

const at = (p: DhcpdFailoverPeer) => `${p.file} line ${p.line}`;
const port = (v: { value: number } | undefined) => v?.value ?? DEFAULT_PORT;
const sameHost = (a: ServerFacts | undefined, av: string | undefined, b: ServerFacts | undefined, bv: string | undefined) => {
  const x = new Set(addressesOf(a, av));
  return addressesOf(b, bv).some((y) => x.has(y));
};

/** dhcpd's sanity rules for every peer one conf declares (what dhcpd -t would refuse). */
export function sanityErrors(f: ServerFacts): string[] {
  const out: string[] = [];
  const pools = f.dhcpd?.pools ?? [];
  for (const p of peersOf(f)) {
    const where = `${at(p)}: failover peer "${p.name}"`;
    if (!p.role) out.push(`${where}: neither primary nor secondary is declared`);
    if (!p.peerAddress) out.push(`${where}: ${DHCPD_SAYS.peerAddress}`);
    if (p.role?.value === 'primary') {
      if (!p.mclt) out.push(`${where}: ${DHCPD_SAYS.mclt}`);
      if (!p.split && !p.hba) out.push(`${where}: ${DHCPD_SAYS.split}`);
    }
    if (p.role?.value === 'secondary' && (p.split || p.hba)) out.push(`${where}: ${DHCPD_SAYS.secondaryLoadBalance}`);
    if (p.split && (p.split.value < 0 || p.split.value > 256)) out.push(`${where}: split ${p.split.value} is outside 0-256`);
    if (p.hba && p.hba.value.split(':').length !== 32) out.push(`${where}: hba must be 32 bytes`);
    if (!pools.some((x) => x.peer === p.name)) out.push(`${where}: ${DHCPD_SAYS.noPools(p.name)}`);
  }
  return out;
}

/** dhcpd -t's refusal, verbatim; our own sentence for an error dhcpd already said is dropped. */
function sideErrors(role: 'local' | 'partner', f: ServerFacts): string[] {
  const ours = sanityErrors(f);
  const sanity = f.dhcpd?.sanity;
  const said = sanity && sanity.exitCode !== 0 && sanity.exitCode !== null ? sanity.lines : [];
  const out = ours.filter((o) => !said.some((l) => l.includes(o.slice(o.lastIndexOf('": ') + 3).replace(/\.$/, '')))).map((o) => `the ${role} conf ${o}`);
  for (const l of said) out.push(`dhcpd -t refuses the ${role} conf: ${l}`);
  return out;
}

/**
 * Declarations that do not mirror each other. Ports are apart (`ports`): both servers connect to each
 * other and one connection is enough, so a wrong `peer port` on one side still forms the pair (the
 * oracle saw it reach normal); it only warns.
 */
function mirrorErrors(pair: Pair, l: DhcpdFailoverPeer, p: DhcpdFailoverPeer, ports: string[] = []): string[] {
  const out: string[] = [];
  const { local: lf, partner: pf } = pair;
  if (l.name !== p.name)
    out.push(`the peer names differ: "${l.name}" here (${at(l)}), "${p.name}" on the partner (${at(p)}); dhcpd pairs only peers of the same name`);
  const lr = l.role?.value;
  const pr = p.role?.value;
  if (lr && pr && lr === pr) out.push(`both servers are declared ${lr} for "${l.name}"; one must be primary, the other secondary`);
  for (const [self, sf, other, of, who] of [
    [l, lf, p, pf, 'local'],
    [p, pf, l, lf, 'partner'],
  ] as const) {
    const otherWho = who === 'local' ? 'partner' : 'local';
    if (self.address && other.peerAddress && !sameHost(sf, self.address.value, of, other.peerAddress.value)) {
      out.push(`the ${who} server's address ${self.address.value} is not the ${otherWho}'s peer address ${other.peerAddress.value}`);
    }
    if (port(self.port) !== port(other.peerPort)) {
      ports.push(
        `the ${who} server's port ${port(self.port)}${self.port ? '' : ' (default)'} is not the ${otherWho}'s peer port ${port(other.peerPort)}${other.peerPort ? '' : ' (default)'}`,
      );
    }
  }
  return out;
}

function liveState(f: ServerFacts | undefined, peer: string | undefined): DhcpdLiveState | undefined {
  return f?.dhcpd?.omapi?.states.find((s) => s.peer === peer && s.localState !== undefined);
}

export function dhcpdPairing(pair: Pair): PairingVerdict {
  const { local: lf, partner: pf } = pair;
  // Inventory files list relationships, not declarations: nothing to compare.
  if (!lf?.dhcpd || !pf?.dhcpd) {
    return {
      situation: 'unknown',
      failures: [],
      warnings: [],
      fixes: [],
      summary: '',
      notApplicable: 'comparing failover peer declarations needs a dhcpd.conf (dhcpd:<file>) for both servers',
    };
  }
  const failures: string[] = [];
  const warnings: string[] = [];
  const fixes: string[] = [];
  const mine = peersOf(lf);
  const theirs = peersOf(pf);
  const situation = mine.length > 0 || theirs.length > 0 ? 'configured pair' : 'before setup';

  for (const [role, f] of [
    ['local', lf],
    ['partner', pf],
  ] as const)
    if (f?.dhcpd) failures.push(...sideErrors(role, f));
  if (failures.length > 0) fixes.push('Correct the failover peer declarations dhcpd refuses (dhcpd logs the same words and does not start).');

  const m = matchPeers(pair);
  if (situation === 'before setup') {
    warnings.push('neither conf declares a failover peer: declare the same `failover peer` on both (primary on one, secondary on the other)');
  } else if (!m.local || !m.partner) {
    const which = !m.local
      ? mine.length === 0
        ? 'the local conf declares no failover peer'
        : 'no local failover peer names the partner'
      : theirs.length === 0
        ? 'the partner conf declares no failover peer'
        : 'no partner failover peer names the local server';
    failures.push(`${which}; both servers must declare the same failover peer`);
    fixes.push('Declare the same failover peer on both servers, each naming the other with peer address.');
  } else {
    const portWarnings: string[] = [];
    const mirrored = mirrorErrors(pair, m.local, m.partner, portWarnings);
    failures.push(...mirrored);
    if (portWarnings.length > 0) {
      warnings.push(
        ...portWarnings.map((w) => `${w}: the other direction's connection carries the pair, but the side calling the wrong port never reconnects by itself`),
      );
      fixes.push("Make each side's port the other's peer port.");
    }
    if (mirrored.length > 0)
      fixes.push(
        "Give both declarations the same peer name, one primary and one secondary, each side's address and port as the other's peer address and peer port.",
      );
    // The running dhcpd answers, but knows no such peer: it does not run the conf that was read.
    for (const [role, f, peer] of [
      ['local', lf, m.local],
      ['partner', pf, m.partner],
    ] as const) {
      const missing = f?.dhcpd?.omapi?.states.find((x) => x.peer === peer.name && x.localState === undefined);
      if (missing) {
        warnings.push(
          `the ${role} server's running dhcpd has no failover peer "${peer.name}" (OMAPI: not found): it does not run the conf read here, or was built without failover`,
        );
        fixes.push(`Restart dhcpd on the ${role} server with the conf checked here.`);
      }
    }
  }
  const live = m.local ? liveState(lf, m.local.name) : undefined;
  const state = live ? `; OMAPI: ${live.localState}/${live.partnerState}` : '';
  const summary =
    m.local && m.partner
      ? `both confs declare failover peer "${m.local.name}", ${m.local.role?.value ?? '?'} here and ${m.partner.role?.value ?? '?'} on the partner, addresses and ports mirrored${state}`
      : 'no failover peer to compare';
  const findings = situation === 'configured pair' ? dhcpdPairFindings(pair) : [];
  return { situation, failures, warnings, fixes, summary, ...(findings.length > 0 ? { findings } : {}) };
}
