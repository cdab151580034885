import { formatIPv4, parseIPv4, prefixToMask } from '../net/ipv4.js';
import { kea as keaPlatform } from '../platforms/kea/index.js';
import { readKeaConfigFile } from '../sources/kea/config-file.js';
import { loadKeaConfig } from '../sources/kea/config-source.js';
import { readGuarded } from '../util/read-guarded.js';
import type { HaSection } from './ha-section.js';
import type { DhcpdSide } from './dhcpd-side.js';
import { normalValue, servedOf, type DhcpdServed } from './served.js';

// `migrate --to`: does the Kea pair serve what the dhcpd pair served? (a) It passes this tool's Kea
// pair rules (peers: one HA relationship, mirrored); (b) per dhcpd subnet: the subnet on both Kea
// servers with the same id, every failover pool's ranges inside Kea's pools, every fixed-address
// host as a reservation, every option that reaches clients with the same value. Less is a failure
// (exit 1), more a warning.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => x !== undefined) : []);

interface KeaSubnet {
  id: unknown;
  pools: [number, number][];
  reservations: Obj[];
  options: Map<string, string>;
}

interface KeaSide {
  name: string;
  subnets: Map<string, KeaSubnet>;
  globalReservations: Obj[];
  globalOptions: Map<string, string>;
}

function range(text: string): [number, number] | undefined {
  const dash = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(text);
  if (dash) {
    const a = parseIPv4(dash[1]!);
    const b = parseIPv4(dash[2]!);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const slash = /^\s*([\d.]+)\/(\d+)\s*$/.exec(text);
  if (slash) {
    const n = parseIPv4(slash[1]!);
    const p = Number(slash[2]);
    if (n === undefined || p > 32) return undefined;
    const size = 2 ** (32 - p);
    return [(n & prefixToMask(p)) >>> 0, ((n & prefixToMask(p)) >>> 0) + size - 1];
  }
  return undefined;
}

const optionsOf = (v: unknown) =>
  new Map(list(v).flatMap((o) => (typeof o.name === 'string' ? [[o.name, typeof o.data === 'string' ? o.data : '']] : [])) as [string, string][]);

function keaSide(name: string, dhcp4: Obj): KeaSide {
  const subnets = new Map<string, KeaSubnet>();
  const all = [...list(dhcp4.subnet4), ...list(dhcp4['shared-networks']).flatMap((n) => list(n.subnet4))];
  for (const s of all) {
    if (typeof s.subnet !== 'string') continue;
    subnets.set(s.subnet, {
      id: s.id,
      pools: list(s.pools).flatMap((p) => (typeof p.pool === 'string' ? [range(p.pool)].filter((x): x is [number, number] => x !== undefined) : [])),
      reservations: list(s.reservations),
      options: optionsOf(s['option-data']),
    });
  }
  return { name, subnets, globalReservations: list(dhcp4.reservations), globalOptions: optionsOf(dhcp4['option-data']) };
}

/** Parts of [start, end] that no range of `have` covers. */
function uncovered(start: number, end: number, have: [number, number][]): [number, number][] {
  let gaps: [number, number][] = [[start, end]];
  for (const [a, b] of have)
    gaps = gaps.flatMap(([x, y]) =>
      b < x || a > y ? [[x, y]] : ([x < a ? [x, a - 1] : undefined, y > b ? [b + 1, y] : undefined].filter(Boolean) as [number, number][]),
    );
  return gaps;
}
const rangeText = ([a, b]: [number, number]) => (a === b ? formatIPv4(a) : `${formatIPv4(a)}-${formatIPv4(b)}`);

export interface MigrationFindings {
  failures: string[];
  warnings: string[];
}

/** The comparison itself, on what was read (the unit tests call it). */
export function compareServed(from: [DhcpdSide, DhcpdSide], served: [DhcpdServed, DhcpdServed], keaSides: [KeaSide, KeaSide]): MigrationFindings {
  const failures: string[] = [];
  const warnings: string[] = [];
  // Subnets: what either dhcpd server declares (they should be the same; the union is what was served).
  const subnets = new Set<string>();
  // A subnet with no range (dhcpd's `subnet 127.0.0.0 netmask 255.0.0.0 { }` to listen) serves nothing.
  for (const side of from) {
    for (const s of side.conf.subnets) {
      const n = parseIPv4(s.network);
      if (n !== undefined && s.prefix !== undefined && (s.ranges.length > 0 || s.pools.length > 0)) subnets.add(`${formatIPv4(n)}/${s.prefix}`);
    }
  }
  for (const side of from) for (const p of side.facts.dhcpd?.pools ?? []) if (p.subnet) subnets.add(p.subnet);
  for (const subnet of [...subnets].sort()) {
    const problems: string[] = [];
    const more: string[] = [];
    const present = keaSides.filter((k) => k.subnets.has(subnet));
    for (const k of keaSides) if (!k.subnets.has(subnet)) problems.push(`missing on ${k.name}`);
    if (present.length === 2 && JSON.stringify(present[0]!.subnets.get(subnet)!.id) !== JSON.stringify(present[1]!.subnets.get(subnet)!.id)) {
      problems.push(
        `subnet ids differ: ${String(present[0]!.subnets.get(subnet)!.id)} on ${present[0]!.name}, ${String(present[1]!.subnets.get(subnet)!.id)} on ${present[1]!.name} (HA needs the same id on both)`,
      );
    }
    for (const k of present) if (k.subnets.get(subnet)!.id === undefined) problems.push(`no "id" on ${k.name} (Kea 3.0 refuses it; 2.x numbers by order)`);
    // Failover pools' ranges.
    const ranges = new Map<string, [number, number]>();
    for (const side of from) {
      for (const p of side.facts.dhcpd?.pools ?? []) {
        if (p.subnet !== subnet || p.peer === undefined) continue;
        for (const r of p.ranges) {
          const a = parseIPv4(r.start);
          const b = parseIPv4(r.end);
          if (a !== undefined && b !== undefined) ranges.set(`${a}-${b}`, [Math.min(a, b), Math.max(a, b)]);
        }
      }
    }
    for (const k of present) {
      const ks = k.subnets.get(subnet)!;
      for (const [a, b] of ranges.values()) {
        const gaps = uncovered(a, b, ks.pools);
        if (gaps.length > 0) problems.push(`pool range ${rangeText([a, b])} not served by ${k.name} (missing ${gaps.map(rangeText).join(', ')})`);
      }
      for (const [a, b] of ks.pools) {
        const extra = uncovered(a, b, [...ranges.values()]);
        if (extra.length > 0) more.push(`${k.name} serves ${extra.map(rangeText).join(', ')} that no dhcpd failover pool did`);
      }
    }
    // Fixed-address hosts in this subnet.
    const [net, prefix] = subnet.split('/') as [string, string];
    const n = parseIPv4(net)!;
    const mask = prefixToMask(Number(prefix));
    const inSubnet = (ip: string) => {
      const v = parseIPv4(ip);
      return v !== undefined && (v & mask) >>> 0 === n;
    };
    const hosts = new Map<string, (typeof served)[0]['hosts'][number]>();
    for (const s of served) for (const h of s.hosts) if (inSubnet(h.address)) hosts.set(`${h.address} ${h.hw ?? ''}`, h);
    for (const k of present) {
      const rs = [...k.subnets.get(subnet)!.reservations, ...k.globalReservations];
      for (const h of hosts.values()) {
        const r = rs.find((x) => x['ip-address'] === h.address);
        if (!r) problems.push(`host ${h.name} (fixed-address ${h.address}) has no reservation on ${k.name}`);
        else if (h.hw && typeof r['hw-address'] === 'string' && r['hw-address'].toLowerCase() !== h.hw)
          problems.push(`host ${h.name}: ${k.name} reserves ${h.address} for ${r['hw-address']}, dhcpd for ${h.hw}`);
        else if (h.hw && r['hw-address'] === undefined) problems.push(`host ${h.name}: ${k.name} reserves ${h.address} but not by hardware address ${h.hw}`);
      }
    }
    // Options that reach clients of this subnet: the subnet's, else the outer scope's.
    const wanted = new Map<string, string>();
    for (const s of [...served].reverse()) {
      for (const [name, v] of s.options.get('global') ?? []) wanted.set(name, v);
      for (const [name, v] of s.options.get(subnet) ?? []) wanted.set(name, v);
    }
    for (const k of present) {
      const ks = k.subnets.get(subnet)!;
      for (const [name, v] of wanted) {
        const got = ks.options.get(name) ?? k.globalOptions.get(name);
        if (got === undefined) problems.push(`option ${name} ${v} is not given by ${k.name}`);
        else if (normalValue(got) !== normalValue(v)) problems.push(`option ${name}: ${k.name} gives ${got}, dhcpd gave ${v}`);
      }
      for (const name of new Set([...ks.options.keys(), ...k.globalOptions.keys()])) if (!wanted.has(name)) more.push(`${k.name} also gives option ${name}`);
    }
    for (const p of problems) failures.push(`subnet ${subnet}: ${p}`);
    for (const m of more) warnings.push(`subnet ${subnet}: ${m}`);
  }
  for (const k of keaSides) for (const s of k.subnets.keys()) if (!subnets.has(s)) warnings.push(`subnet ${s}: ${k.name} serves it; the dhcpd pair did not`);
  return { failures, warnings };
}

export async function checkMigration(from: [DhcpdSide, DhcpdSide], to: [string, string], section: HaSection, say: (line: string) => void): Promise<number> {
  const names = section.sides.map((s) => s.name) as [string, string];
  const facts = await Promise.all(to.map((p) => loadKeaConfig(p)));
  const raw = await Promise.all(
    to.map(async (p) => {
      const { bytes } = await readGuarded(p, { purpose: 'server-config', label: 'kea-config', timeoutMs: 5000 });
      return readKeaConfigFile(p, { bytes }).Dhcp4;
    }),
  );
  const served = await Promise.all(
    from.map(async (s) => {
      const { bytes } = await readGuarded(s.conf.file, { purpose: 'server-config', label: 'dhcpd', timeoutMs: 5000 });
      return servedOf(bytes, s.conf.file);
    }),
  );
  const failures: string[] = [];
  const warnings: string[] = [];
  // (a) the Kea pair as a pair: this tool's Kea `peers` rules.
  const verdict = await keaPlatform.pairing!({ local: facts[0]!, partner: facts[1]! });
  for (const f of verdict.failures) failures.push(`Kea pair (peers): ${f}`);
  for (const w of verdict.warnings) warnings.push(`Kea pair (peers): ${w}`);
  if (verdict.notApplicable) failures.push(`Kea pair (peers): ${verdict.notApplicable}`);
  // (b) what it serves.
  const found = compareServed(from, served as [DhcpdServed, DhcpdServed], [keaSide(names[0], raw[0]!), keaSide(names[1], raw[1]!)]);
  failures.push(...found.failures);
  warnings.push(...found.warnings);
  for (const f of failures) say(`migrate --to: FAIL ${f}`);
  for (const w of warnings) say(`migrate --to: warning: ${w}`);
  say(
    failures.length === 0
      ? `migrate --to: the Kea pair (${to.join(', ')}) serves what the dhcpd pair served${warnings.length > 0 ? ', and more (see the warnings)' : ''}`
      : `migrate --to: the Kea pair serves less than the dhcpd pair did (${failures.length} difference${failures.length === 1 ? '' : 's'})`,
  );
  return failures.length === 0 ? 0 : 1;
}
