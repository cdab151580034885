import type { DhcpdLiveState } from '../../sources/dhcpd/facts.js';
import type { DhcpdFailoverPeer } from '../../sources/dhcpd/types.js';
import type { Pair, PairFinding } from '../types.js';
import { matchPeers } from './match.js';

// dhcpd failover rules judged pair-wise: parameters each side sends the other in its CONNECT
// message (server/failover.c), and the failover state the running servers report over OMAPI.

/** dhcpd's defaults when a declaration leaves them out (server/confpars.c, dhcpd.conf(5)). */
const DEFAULTS = { maxResponseDelay: undefined, maxUnackedUpdates: undefined, loadBalanceMaxSeconds: 3 } as const;

const NAMES = {
  maxResponseDelay: 'max-response-delay',
  maxUnackedUpdates: 'max-unacked-updates',
  loadBalanceMaxSeconds: 'load balance max seconds',
} as const;

export /** What each failover state means for the pair, in a few words. */
const STATE_MEANING: Record<string, string> = {
  'unknown-state': 'the state is not known',
  startup: "just started, waiting to learn the partner's state",
  normal: 'both servers are in contact and share the pools',
  'communications-interrupted': 'the partner cannot be reached; serving alone within MCLT limits',
  'partner-down': 'the partner is declared down; this server serves the whole pool',
  'potential-conflict': 'both served without contact; leases must be reconciled',
  recover: 'rebuilding its lease database from the partner',
  paused: 'failover paused by the operator',
  shutdown: 'shutting down',
  'recover-done': 'done recovering, waiting for the partner',
  'resolution-interrupted': 'contact lost while resolving a conflict',
  'conflict-done': 'conflict resolved, waiting for the partner',
  'recover-wait': 'recovered, waiting out MCLT before serving',
};

const meaning = (s: string | undefined) => `${s ?? 'unknown'} (${STATE_MEANING[s ?? 'unknown-state'] ?? 'not a state dhcpd documents'})`;

/** States on the way to normal: warn while they last. */
const TRANSITION = new Set(['startup', 'recover', 'recover-wait', 'recover-done', 'conflict-done']);

const value = (p: DhcpdFailoverPeer, k: keyof typeof NAMES) => p[k]?.value ?? DEFAULTS[k];
const where = (p: DhcpdFailoverPeer, k: keyof typeof NAMES) => (p[k] ? `${p[k]!.file} line ${p[k]!.line}` : 'not set');

function parameterFindings(l: DhcpdFailoverPeer, p: DhcpdFailoverPeer): PairFinding[] {
  const keys = (Object.keys(NAMES) as (keyof typeof NAMES)[]).filter((k) => {
    // The secondary may not set load balancing (a sanity error of its own); only compare it when both do.
    if (k === 'loadBalanceMaxSeconds' && (!l[k] || !p[k])) return false;
    return value(l, k) !== value(p, k);
  });
  if (keys.length === 0) return [];
  return [
    {
      code: 'parameters-differ',
      level: 'warn',
      text: `failover "${l.name}": ${keys.map((k) => `${NAMES[k]} ${value(l, k) ?? 'unset'} here, ${value(p, k) ?? 'unset'} on the partner`).join('; ')}: the pair forms, but each side times out and floods the other by its own numbers`,
      evidence: keys.map((k) => `${NAMES[k]}: local ${value(l, k) ?? 'unset'} (${where(l, k)}), partner ${value(p, k) ?? 'unset'} (${where(p, k)})`),
      fix: `Give both declarations of failover peer "${l.name}" the same ${keys.map((k) => NAMES[k]).join(', ')}.`,
      source: 'dhcpd.conf(5) "DHCP FAILOVER" (max-response-delay, max-unacked-updates, load balance max seconds); server/failover.c',
    },
  ];
}

function stateFindings(side: 'local' | 'partner', s: DhcpdLiveState | undefined): PairFinding[] {
  if (!s?.localState || (s.localState === 'normal' && s.partnerState === 'normal')) return [];
  const evidence = [`${side} OMAPI failover-state "${s.peer}": local-state ${s.localState}, partner-state ${s.partnerState ?? 'unknown'}`];
  if (TRANSITION.has(s.localState) || (s.localState === 'normal' && s.partnerState !== undefined && TRANSITION.has(s.partnerState))) {
    return [
      {
        code: 'ha-transition',
        level: 'warn',
        text: `the ${side} dhcpd's failover "${s.peer}" is ${meaning(s.localState)}, and last heard of the other server as ${meaning(s.partnerState)}: on its way to normal`,
        evidence,
        fix: 'Wait for the pair to reach normal (MCLT may apply), then check again.',
        source: 'draft-ietf-dhc-failover-12 section 9 (server states); dhcpd.conf(5)',
      },
    ];
  }
  return [
    {
      code: 'ha-not-operating',
      level: 'fail',
      text: `the ${side} dhcpd's failover "${s.peer}" is ${meaning(s.localState)}, and last heard of the other server as ${meaning(s.partnerState)}: not normal, the two are not sharing the pools`,
      evidence,
      fix: 'Check that each server reaches the other on its peer port and that both run the same declarations; dhcpd logs each state change.',
      source: 'draft-ietf-dhc-failover-12 section 9 (server states); dhcpd OMAPI failover-state',
    },
  ];
}

export function dhcpdPairFindings(pair: Pair): PairFinding[] {
  const m = matchPeers(pair);
  if (!m.local || !m.partner) return [];
  const live = (f: Pair['local'], name: string) => f?.dhcpd?.omapi?.states.find((s) => s.peer === name && s.localState !== undefined);
  const ls = live(pair.local, m.local.name);
  const ps = live(pair.partner, m.partner.name);
  return [...parameterFindings(m.local, m.partner), ...stateFindings('local', ls), ...(ls ? [] : stateFindings('partner', ps))];
}
