import type { Role } from '../context.js';
import type { InterfaceAddress, ServerFacts } from '../facts.js';
import { classifyIPv4, parseIPv4 } from '../net/ipv4.js';
import { pairOf, unread } from './facts-of.js';
import { outcomes, type Check, type Outcome } from './types.js';

// Not one of the nine failure messages, but a requirement of the same document: "DHCP servers
// should be configured with static IP addresses." A failover relationship names its partner by
// address, so a server whose lease changes its address breaks the relationship.

const o = outcomes('static-address', {
  'all-static': 'pass',
  'dhcp-leased': 'warn',
  'not-known': 'skip',
});

const REQUIREMENT = 'DHCP servers should be configured with static IP addresses.';
const RECREATE = "Do it before configuring failover: changing a failover server's address later means deleting and recreating its failover relationships.";
const GENERIC_FIX = 'Give the server a static IPv4 address (not a DHCP lease).';

type Answer = { leased: InterfaceAddress[]; manual: string[] } | { staticAddress: boolean } | undefined;

/** Addresses a partner would be paired by: not loopback, not link-local. */
const serverAddress = (a: InterfaceAddress) => {
  const value = parseIPv4(a.address);
  return value !== undefined && classifyIPv4(value) === 'unicast';
};

function answerOf(facts: ServerFacts | undefined): Answer {
  const listed = facts?.interfaceAddresses?.filter(serverAddress);
  if (listed && listed.length > 0) {
    return { leased: listed.filter((a) => a.origin === 'dhcp'), manual: listed.filter((a) => a.origin !== 'dhcp').map((a) => a.address) };
  }
  if (facts?.staticAddress !== undefined) return { staticAddress: facts.staticAddress };
  return undefined;
}

const named = (a: InterfaceAddress) => `${a.address}${a.interface ? ` (${a.interface})` : ''}`;

export const staticAddress: Check = {
  id: 'static-address',
  title: 'The servers have static IP addresses',
  codes: o.codes,
  async run(ctx): Promise<Outcome> {
    const read = await pairOf(ctx);
    const answers: Record<Role, Answer> = { local: answerOf(read.local.facts), partner: answerOf(read.partner.facts) };
    const details: Record<string, unknown> = {};
    const leased: string[] = [];
    for (const role of ['local', 'partner'] as const) {
      const a = answers[role];
      if (a === undefined) details[role] = read[role].error ?? 'no source tells';
      else if ('staticAddress' in a) {
        details[role] = a.staticAddress ? 'static (source says so)' : 'leased by DHCP (source says so)';
        if (!a.staticAddress) leased.push(`the ${role} server's address was leased by DHCP`);
      } else {
        details[role] = { leased: a.leased.map(named), static: a.manual };
        if (a.leased.length > 0) leased.push(`the ${role} server's ${a.leased.map(named).join(', ')} ${a.leased.length > 1 ? 'were' : 'was'} leased by DHCP`);
      }
    }
    if (leased.length > 0) {
      const fix = `${read.platform.fixes.staticAddress ?? GENERIC_FIX} ${RECREATE}`;
      return o.warn('dhcp-leased', `${REQUIREMENT} ${capital(leased.join('; '))}.`, { details, evidence: evidenceOf(answers), fix });
    }
    const known = (['local', 'partner'] as const).filter((r) => answers[r] !== undefined);
    if (known.length === 0) {
      // A source given and failed (or refused) is the reason, not a source missing.
      const why = unread({ local: read.local, partner: read.partner });
      if (why.causes.length > 0)
        return o.skip(
          'not-known',
          `nothing tells how the servers got their addresses: ${why.causes.length > 1 ? 'the sources given failed' : 'a source given failed'}`,
          {
            details,
            evidence: why.causes,
          },
        );
      return o.skip(
        'not-known',
        'nothing tells how the servers got their addresses: give a source that lists them (NetIPAddress, or staticAddress; README: Fact sources)',
        { details },
      );
    }
    const unknown = (['local', 'partner'] as const).filter((r) => answers[r] === undefined);
    return o.pass(
      'all-static',
      `the ${known.join(' and ')} server${known.length > 1 ? "s'" : "'s"} addresses are static${unknown.length > 0 ? ` (the ${unknown[0]} server's are not known)` : ''}`,
      { details },
    );
  },
};

/** Each server's addresses as they were configured, one line per server. */
function evidenceOf(answers: Record<Role, Answer>): string[] {
  return (['local', 'partner'] as const).flatMap((role) => {
    const a = answers[role];
    if (a === undefined) return [`${role}: not known`];
    if ('staticAddress' in a) return [`${role}: ${a.staticAddress ? 'static' : 'leased by DHCP'} (source says so)`];
    return [`${role}: ${[...a.leased.map((x) => `${named(x)} leased`), ...a.manual.map((m) => `${m} static`)].join(', ')}`];
  });
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
