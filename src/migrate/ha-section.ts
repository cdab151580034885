import type { DhcpdFailoverPeer, Located } from '../sources/dhcpd/types.js';
import { comment, type Doc } from './render.js';

// The part of a Kea configuration that ISC's keama leaves out ("ignoring failover"): from the two
// `failover peer` declarations of a dhcpd pair, each server's libdhcp_lease_cmds.so and libdhcp_ha.so
// hook entries with its `high-availability` relationship. Every dhcpd failover parameter is either
// mapped (a `//` line says how) or explained (a `//` line says why Kea has nothing for it).

export interface HaSectionOptions {
  /** Kea HA's port in the peer URLs (the HA hook's own listener with multi-threading; default 8000). */
  haPort: number;
  /** Where the hook libraries are (Debian/Ubuntu: /usr/lib/x86_64-linux-gnu/kea/hooks). */
  hooksDir: string;
  /** Kea names of the servers, in the order of the two declarations given. */
  names: readonly [string, string];
}

export interface HaSide {
  /** The Kea server name (this-server-name). */
  name: string;
  peer: DhcpdFailoverPeer;
  /** Its role in Kea. */
  role: 'primary' | 'secondary' | 'standby';
}

export interface HaSection {
  mode: 'load-balancing' | 'hot-standby';
  /** The two servers, in the order given. */
  sides: [HaSide, HaSide];
  /** Per server name: `{ "hooks-libraries": [...] }` with comments. */
  servers: Record<string, Doc>;
  /** What the admin must hear (an uneven split). */
  warnings: string[];
  /** One line per dhcpd failover parameter: what became of it (for the report and the README). */
  mapping: string[];
}

export const DEFAULT_HA_PORT = 8000;
export const DEFAULT_HOOKS_DIR = '/usr/lib/x86_64-linux-gnu/kea/hooks';
/** Kea's default heartbeat-delay (ms). */
const HEARTBEAT_DEFAULT = 10_000;

const at = (v: { file: string; line: number }) => `${v.file} line ${v.line}`;
const said = <T>(name: string, v: Located<T> | undefined) => (v ? `${name} ${String(v.value)} (${at(v)})` : undefined);

/** How much of the hash space (0..256 buckets) the dhcpd primary serves: `split`, else the set bits of `hba`. */
export function primaryShare(primary: DhcpdFailoverPeer): { buckets: number; from: string } | undefined {
  if (primary.split) return { buckets: primary.split.value, from: said('split', primary.split)! };
  if (primary.hba) {
    let bits = 0;
    for (const byte of primary.hba.value.split(':')) {
      let b = Number.parseInt(byte, 16);
      for (; b > 0; b >>= 1) bits += b & 1;
    }
    return { buckets: bits, from: `hba ${primary.hba.value} (${at(primary.hba)}, ${bits} of 256 buckets)` };
  }
  return undefined;
}

const url = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

/**
 * The HA section for a dhcpd pair whose declarations are `a` and `b` (one primary, one secondary;
 * the caller has checked the pair with the isc-dhcpd `peers` rules).
 */
export function haSection(a: DhcpdFailoverPeer, b: DhcpdFailoverPeer, opts: HaSectionOptions): HaSection {
  const [primary, secondary] = a.role?.value === 'secondary' ? [b, a] : [a, b];
  const nameOf = (p: DhcpdFailoverPeer) => (p === a ? opts.names[0] : opts.names[1]);
  const warnings: string[] = [];
  const mapping: string[] = [];
  const relComments: string[] = [];

  // The mode, from the primary's share of the hash buckets.
  const share = primaryShare(primary);
  const buckets = share?.buckets ?? 128;
  let mode: HaSection['mode'];
  let active = primary;
  if (buckets === 256 || buckets === 0) {
    mode = 'hot-standby';
    if (buckets === 0) active = secondary;
    const who = buckets === 256 ? 'the dhcpd primary' : 'the dhcpd secondary';
    relComments.push(
      `mode: ${share!.from}: ${who} answered every client, so hot-standby with ${nameOf(active)} (${who}) as Kea's primary and ${nameOf(active === primary ? secondary : primary)} as standby`,
    );
  } else {
    mode = 'load-balancing';
    if (buckets === 128)
      relComments.push(`mode: ${share?.from ?? 'split'}: an even split, so load-balancing (Kea splits clients evenly by the same kind of hash)`);
    else {
      const pct = Math.round((buckets / 256) * 100);
      const w = `${share!.from}: the dhcpd primary served ${buckets} of 256 hash buckets (${pct}%); Kea's load balancing always splits clients evenly (50/50), so the new pair uses load-balancing with an even split`;
      warnings.push(w);
      relComments.push(`mode: WARNING ${w}`);
    }
  }
  mapping.push(`split / hba → "mode": "${mode}"${share ? ` (${share.from})` : ''}`);
  const roleOf = (p: DhcpdFailoverPeer): HaSide['role'] =>
    mode === 'load-balancing' ? (p === primary ? 'primary' : 'secondary') : p === active ? 'primary' : 'standby';
  relComments.push(`roles: ${nameOf(primary)} (dhcpd primary) → ${roleOf(primary)}, ${nameOf(secondary)} (dhcpd secondary) → ${roleOf(secondary)}`);
  mapping.push(`primary / secondary → "role": ${roleOf(primary)} / ${roleOf(secondary)}`);

  // Peer URLs: each server's own `address`, else the other's `peer address`.
  const hostOf = (p: DhcpdFailoverPeer) => p.address?.value ?? (p === a ? b : a).peerAddress?.value;
  relComments.push(
    `url: each server's dhcpd \`address\` (its partner's \`peer address\`) with port ${opts.haPort}: Kea HA speaks HTTP there (with multi-threading, the default from Kea 2.4, the HA hook listens on it itself; without, a Control Agent must listen there); the dhcpd failover ports (${[primary, secondary].map((p) => p.port?.value ?? 647).join('/')}) are not used`,
  );
  mapping.push(`address / peer address → peers[].url (http://<address>:${opts.haPort}/)`);
  mapping.push("port / peer port → not used (Kea HA speaks HTTP on the URL's port, --ha-port)");

  // Timers.
  const timers: Record<string, number> = {};
  const mrd = primary.maxResponseDelay ?? secondary.maxResponseDelay;
  if (mrd) {
    const ms = mrd.value * 1000;
    timers['max-response-delay'] = ms;
    const heartbeat = Math.min(HEARTBEAT_DEFAULT, Math.max(100, Math.floor(ms / 3)));
    timers['heartbeat-delay'] = heartbeat;
    relComments.push(
      `max-response-delay: dhcpd's max-response-delay ${mrd.value} s (${at(mrd)}): how long without a message from the partner before contact is lost; Kea counts it in ms`,
    );
    relComments.push(
      `heartbeat-delay: ${heartbeat} ms (Kea's default 10000, or a third of max-response-delay when that is shorter: Kea must send several heartbeats within it); dhcpd has no such parameter`,
    );
    mapping.push(`max-response-delay ${mrd.value} → "max-response-delay": ${ms} (ms), with "heartbeat-delay": ${heartbeat}`);
  } else {
    relComments.push("max-response-delay: not declared in dhcpd (its default is 60 s); Kea's default (60000 ms) is the same");
    mapping.push("max-response-delay (not declared) → Kea's default 60000 ms, as dhcpd's 60 s");
  }
  const mau = primary.maxUnackedUpdates ?? secondary.maxUnackedUpdates;
  if (mau) {
    timers['max-unacked-clients'] = mau.value;
    relComments.push(
      `max-unacked-clients: from dhcpd's max-unacked-updates ${mau.value} (${at(mau)}). Not the same quantity: dhcpd counted lease updates sent to the partner without an acknowledgement; Kea counts clients the partner leaves unanswered (for longer than max-ack-delay) before it declares the partner down. Both bound how much goes unanswered before acting`,
    );
    mapping.push(`max-unacked-updates ${mau.value} → "max-unacked-clients": ${mau.value} (a similar bound; not the same quantity)`);
  } else mapping.push("max-unacked-updates (not declared) → Kea's default max-unacked-clients 10");
  const lbms = primary.loadBalanceMaxSeconds ?? secondary.loadBalanceMaxSeconds;
  if (lbms) {
    relComments.push(
      `load balance max seconds ${lbms.value} (${at(lbms)}): no Kea equivalent. dhcpd answered a client whose secs field exceeded it whatever the hash said; Kea's nearest is max-ack-delay (default 10000 ms): a client unanswered that long counts towards max-unacked-clients, and only partner-down makes the other server serve it`,
    );
    mapping.push(`load balance max seconds ${lbms.value} → no equivalent (explained; Kea's max-ack-delay is the nearest)`);
  }
  const mclt = primary.mclt ?? secondary.mclt;
  if (mclt) {
    relComments.push(
      `mclt ${mclt.value} (${at(mclt)}): no Kea equivalent. dhcpd's maximum client lead time limited how far a server alone could extend a lease beyond what its partner knew; Kea HA sends each lease update to the partner before (or, with wait-backup-ack false, while) answering, and in partner-down a server simply serves the whole pool`,
    );
    mapping.push(`mclt ${mclt.value} → no equivalent (explained)`);
  }
  for (const [name, get] of [
    ['auto-partner-down', (p: DhcpdFailoverPeer) => p.autoPartnerDown],
    ['max-lease-misbalance', (p: DhcpdFailoverPeer) => p.maxLeaseMisbalance],
    ['max-lease-ownership', (p: DhcpdFailoverPeer) => p.maxLeaseOwnership],
    ['min-balance', (p: DhcpdFailoverPeer) => p.minBalance],
    ['max-balance', (p: DhcpdFailoverPeer) => p.maxBalance],
    ['peer max-response-delay', (p: DhcpdFailoverPeer) => p.peerMaxResponseDelay],
    ['peer max-unacked-updates', (p: DhcpdFailoverPeer) => p.peerMaxUnackedUpdates],
  ] as const) {
    const v = get(primary) ?? get(secondary);
    if (!v) continue;
    const why =
      name === 'auto-partner-down'
        ? 'Kea moves to partner-down by itself once the partner misses heartbeats and max-unacked-clients clients go unanswered (max-unacked-clients 0: on lost heartbeats alone)'
        : name.startsWith('peer ')
          ? "the partner's own value, which Kea takes from the partner's configuration"
          : "dhcpd split each pool's free leases between the servers and rebalanced them; Kea shares one pool and splits clients by hash, so there is nothing to rebalance";
    relComments.push(`${name} ${v.value} (${at(v)}): no Kea equivalent: ${why}`);
    mapping.push(`${name} ${v.value} → no equivalent (explained)`);
  }

  const sides: [HaSide, HaSide] = [
    { name: opts.names[0], peer: a, role: roleOf(a) },
    { name: opts.names[1], peer: b, role: roleOf(b) },
  ];
  // Kea lists the peers in the same order on both servers: the primary first.
  const ordered = [...sides].sort((x, y) => (x.role === 'primary' ? -1 : y.role === 'primary' ? 1 : 0));
  const lib = (file: string) => `${opts.hooksDir.replace(/\/+$/, '')}/${file}`;
  const servers: Record<string, Doc> = {};
  for (const side of sides) {
    const relationship: Doc = {
      ...comment(`From dhcpd failover peer "${a.name}" (${at(a)}; ${at(b)}), by dhcp-failover-check migrate`),
      ...comment(...relComments),
      'this-server-name': side.name,
      mode,
      ...timers,
      peers: ordered.map((s) => ({
        name: s.name,
        url: url(hostOf(s.peer) ?? '127.0.0.1', opts.haPort),
        role: s.role,
        'auto-failover': true,
      })),
    };
    servers[side.name] = {
      'hooks-libraries': [
        { ...comment('lease_cmds: the HA hook sends lease updates to the partner through these commands'), library: lib('libdhcp_lease_cmds.so') },
        { library: lib('libdhcp_ha.so'), parameters: { 'high-availability': [relationship] } },
      ],
    };
  }
  return { mode, sides, servers, warnings, mapping };
}
