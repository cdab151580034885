import { classifyIPv4, parseIPv4 } from '../net/ipv4.js';
import { factsOf, pairOf } from './facts-of.js';
import { classifyIPv6 } from '../net/ipv6.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';

const o = outcomes('ip', {
  valid: 'pass',
  'not-ipv4': 'fail',
  'not-unicast': 'fail',
  'own-address': 'fail',
  'lab-address': 'warn',
  'dhcp-assigned': 'warn',
  unresolved: 'unknown',
});

const INVALID = new Set(['unspecified', 'broadcast', 'multicast', 'reserved']);

export const ip: Check = {
  id: 'ip',
  title: 'Valid IP address for the partner',
  codes: o.codes,
  async run(ctx) {
    const p = await ctx.partner();
    if (p.kind === 'address' && p.error) {
      return o.fail('not-ipv4', messages.ip(p.input), {
        details: { input: p.input, cause: p.error },
        fix: 'Give a dotted-quad IPv4 address such as 10.0.0.2.',
      });
    }
    if (!p.address) return o.unknown('unresolved', 'no address to validate: the partner name did not resolve', { details: { input: p.input } });
    let kind: string;
    if (p.family === 6) {
      // Failover is IPv4-only unless the pair's platform takes IPv6 peers.
      const read = await pairOf(ctx);
      if (!read.platform.ipv6Peers) {
        return o.fail('not-ipv4', messages.ip(p.input), {
          details: { input: p.input, cause: `an IPv6 address: ${read.platform.product} failover is IPv4-only` },
          fix: "Give the partner's IPv4 address.",
        });
      }
      kind = classifyIPv6(p.address);
    } else kind = classifyIPv4(parseIPv4(p.address)!);
    if (INVALID.has(kind)) {
      return o.fail('not-unicast', messages.ip(p.address), {
        details: { address: p.address, cause: `${kind} address` },
        fix: "Give the partner's own unicast address.",
      });
    }
    const local = await ctx.localAddresses();
    if (local.includes(p.address)) {
      return o.fail('own-address', messages.ip(p.address), {
        details: { address: p.address, cause: "this is the local server's own address", localAddresses: local },
        fix: "A server cannot be its own failover partner: give the other server's address.",
      });
    }
    const partner = await factsOf(ctx, 'partner');
    const notes = partner.facts?.staticAddress === false ? ['the partner gets its own address from DHCP; failover needs static server addresses'] : [];
    if (kind === 'loopback' || kind === 'link-local') {
      return o.warn('lab-address', `${p.address} is a ${kind} address: fine for a lab, not for a real partner`, {
        details: { address: p.address, class: kind, ...(notes.length > 0 ? { notes } : {}) },
        evidence: notes,
      });
    }
    if (notes.length > 0) return o.warn('dhcp-assigned', notes[0]!, { details: { address: p.address }, fix: 'Give the partner a static IPv4 address.' });
    return o.pass('valid', `${p.address} is a valid unicast address`, { details: { address: p.address } });
  },
};
