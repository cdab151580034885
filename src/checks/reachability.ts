import type { Context } from '../context.js';
import { icmpEcho } from '../probes/icmp.js';
import { tcpConnect } from '../probes/tcp.js';
import { errorText, ProbeError } from '../util/errors.js';
import { messages } from './messages.js';
import { fail, pass, unknown, warn, type Check } from './types.js';

const WINDOWS_FAILOVER_PORT = 647;
const FIREWALL_RULE = 'Microsoft-Windows-DHCP-Failover-TCP-In';

/** The port failover traffic uses: given, or Kea's agent port (HA peers talk through it), or 647. */
function failoverPort(ctx: Context): { port: number; what: string } {
  if (ctx.plan.failoverPort !== undefined) return { port: ctx.plan.failoverPort, what: 'failover' };
  const source = ctx.plan.partnerSource;
  if (source?.kind === 'kea') {
    const url = new URL(source.url);
    return { port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80, what: 'Kea Control Agent (HA)' };
  }
  return { port: WINDOWS_FAILOVER_PORT, what: 'failover' };
}

export const reachability: Check = {
  id: 'reachability',
  title: 'Network connection to the partner',
  async run(ctx) {
    const p = await ctx.partner();
    if (!p.address) return unknown('no partner address to probe', { details: { input: p.input } });
    const { port, what } = failoverPort(ctx);
    const [icmp, tcp] = await Promise.allSettled([
      icmpEcho(p.address, ctx.plan.timeoutMs, ctx.signal),
      tcpConnect(p.address, port, ctx.plan.timeoutMs, ctx.signal),
    ]);
    const details = {
      address: p.address,
      icmp: icmp.status === 'fulfilled' ? `echo reply in ${icmp.value.rttMs} ms` : errorText(icmp.reason),
      tcp: tcp.status === 'fulfilled' ? `port ${port} accepted in ${tcp.value.connectMs.toFixed(1)} ms` : errorText(tcp.reason),
    };
    if (tcp.status === 'fulfilled') return pass(`TCP port ${port} (${what}) answers`, { details });
    // A refusal or a reset is an answer: the host is there, the port is closed or filtered.
    const refused = tcp.reason instanceof ProbeError && (tcp.reason.code === 'ECONNREFUSED' || tcp.reason.code === 'ECONNRESET');
    const rule = port === WINDOWS_FAILOVER_PORT ? ` (Windows firewall rule "${FIREWALL_RULE}")` : '';
    if (icmp.status === 'fulfilled' || refused) {
      return warn(`${p.address} answers, but TCP port ${port} (${what}) does not accept connections`, {
        details,
        fix: `Allow TCP ${port} from this server on the partner${rule}, and check that the service listens.`,
      });
    }
    return fail(messages.reachability(), {
      details,
      fix: `Check routing and firewalls between the servers: ICMP echo and TCP ${port}${rule} must pass.`,
    });
  },
};
