import { messages } from './messages.js';
import { fail, pass, type Check } from './types.js';

export const dns: Check = {
  id: 'dns',
  title: 'DNS name resolution for the partner',
  async run(ctx) {
    const p = await ctx.partner();
    if (p.kind === 'address') return pass('given as an IPv4 address: no DNS lookup needed', { details: { input: p.input } });
    if (p.address) return pass(`${p.input} resolves to ${p.address}`, { details: { name: p.input, address: p.address } });
    return fail(messages.dns(), {
      details: { name: p.input, cause: p.error },
      fix: 'Check the name, or add an A record (or an /etc/hosts entry) for the partner; or give its IPv4 address instead.',
    });
  },
};
