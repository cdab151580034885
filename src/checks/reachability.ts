import { errorText } from '../util/errors.js';
import { pairOf } from './facts-of.js';
import { messages } from './messages.js';
import { outcomes, type Check } from './types.js';
import { phaseOf } from './phase.js';

const o = outcomes('reachability', {
  reachable: 'pass',
  'port-closed': 'warn',
  unreachable: 'fail',
  'no-address': 'unknown',
  'before-deploy': 'skip',
});

export const reachability: Check = {
  id: 'reachability',
  title: 'Network connection to the partner',
  codes: o.codes,
  async run(ctx) {
    const read = await pairOf(ctx);
    const { address, pair, platform } = read;
    if (!address.address) return o.unknown('no-address', 'no partner address to probe', { details: { input: address.input } });
    const endpoint =
      ctx.plan.failoverPort !== undefined ? { port: ctx.plan.failoverPort, what: 'failover', note: '--failover-port' } : platform.failoverEndpoint(pair);
    const { port, what } = endpoint;
    const { icmp, tcp, tcpAnswered } = await ctx.reach(address.address, port);
    const details = {
      address: address.address,
      port,
      ...(endpoint.note ? { portFrom: endpoint.note } : {}),
      icmp: !icmp ? 'not asked: TCP answered' : icmp.ok ? `echo reply in ${icmp.value.rttMs} ms` : errorText(icmp.error),
      tcp: tcp.ok ? `port ${port} accepted in ${tcp.value.connectMs.toFixed(1)} ms` : errorText(tcp.error),
    };
    if (tcp.ok) return o.pass('reachable', `TCP port ${port} (${what}) answers`, { details });
    // A refusal or a reset is an answer: the host is there, the port is closed or filtered.
    const evidence = icmp ? [`ICMP ${address.address}: ${details.icmp}`, details.tcp] : [details.tcp];
    const rule = endpoint.firewall ? ` (${endpoint.firewall})` : '';
    const phase = phaseOf(ctx, read);
    if (phase.partner === 'before-deploy' && !phase.given) {
      return o.skip('before-deploy', `before deploy: TCP port ${port} (${what}) will be probed once the partner runs`, { details, evidence });
    }
    if (icmp?.ok || tcpAnswered) {
      return o.warn('port-closed', `${address.address} answers, but TCP port ${port} (${what}) does not accept connections`, {
        details,
        evidence,
        fix: `Allow TCP ${port} from this server on the partner${rule}, and check that the service listens.`,
      });
    }
    return o.fail('unreachable', messages.reachability(), {
      details,
      evidence,
      fix: `Check routing and firewalls between the servers: ICMP echo and TCP ${port}${rule} must pass.`,
    });
  },
};
