import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';

const o = outcomes('dns', { 'address-given': 'pass', resolved: 'pass', unresolved: 'fail' });

export const dns: Check = {
  id: 'dns',
  title: 'DNS name resolution for the partner',
  codes: o.codes,
  async run(ctx) {
    const p = await ctx.partner();
    if (p.kind === 'address')
      return o.pass('address-given', `given as an ${p.family === 6 ? 'IPv6' : 'IPv4'} address: no DNS lookup needed`, { details: { input: p.input } });
    if (p.address) return o.pass('resolved', `${p.input} resolves to ${p.address}`, { details: { name: p.input, address: p.address } });
    return o.fail('unresolved', messages.dns(), {
      details: { name: p.input, cause: p.error },
      fix: 'Check the name, or add an A record (or an /etc/hosts entry) for the partner; or give its IPv4 address instead.',
    });
  },
};
