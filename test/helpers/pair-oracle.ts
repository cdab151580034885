import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { freePort } from './kea.js';
import { KEA_HOOKS_DIR, firstEntry, keaRoot, startKeaServers, type KeaServer, type KeaServers, type KeaServerSpec, type KeaVersion } from './kea-multi.js';
import { pairConf, startDhcpdPair, type DhcpdPair } from './dhcpd-pair.js';

// The oracle: the real pair decides. Each variant is a pair of configurations; the harness
// starts the real servers, watches what they do for a bounded time (the HA state over the control
// channel, dhcpd's failover state over OMAPI, or a start failure with the server's own log line)
// and runs the tool on the same pair twice — before deploy (the two configuration files) and live
// (the two running servers). READY (exit 0) must hold exactly when the pair reached its operating
// state; a pair documented to lose updates must carry that warning.

export type Truth = { formed: boolean; what: string };
export interface Verdict {
  exit: number | null;
  peers: string;
  codes: string[];
}
export interface OracleRow {
  id: string;
  versions: string;
  truth: Truth;
  files: Verdict;
  live?: Verdict;
  /** The warning code the live verdict must carry (a pair documented to lose updates). */
  mustWarn?: string;
  disagreements: string[];
  ms: number;
}

type Json = Record<string, unknown>;
type Side = 'server1' | 'server2';
const OPERATING = new Set(['hot-standby', 'load-balancing']);

export interface KeaVariant {
  id: string;
  versions: [KeaVersion, KeaVersion];
  /** Edits each side's HA relationship / Dhcp4 map / spec before start. */
  edit?: (side: Side, rel: Json, dhcp4: Json, spec: KeaServerSpec, ctx: EditContext) => void;
  mustWarn?: (versions: [KeaVersion, KeaVersion]) => string | undefined;
}
interface EditContext {
  ports: Record<Side, { control: number; ha: number }>;
  hosts: Record<Side, string>;
  certs: Certs;
  hookCopy: (version: KeaVersion) => string;
}

// ---------- TLS material, the same paths on the host and in every chroot ----------

export interface Certs {
  dir: string;
  caA: string;
  caB: string;
  /** Certificates signed by CA A (s1, s2) and by CA B (s2b), with their keys. */
  s1: { cert: string; key: string };
  s2: { cert: string; key: string };
  s2b: { cert: string; key: string };
}

export function makeCerts(hosts: string[]): Certs {
  const dir = `/tmp/dfc-oracle-certs-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', cwd: dir });
  const san = `subjectAltName=${hosts.map((h) => `IP:${h}`).join(',')}`;
  for (const ca of ['caA', 'caB'])
    ossl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=oracle ${ca}`,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const leaf = (name: string, ca: string) => {
    ossl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${san}\nextendedKeyUsage=serverAuth,clientAuth\n`);
    ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    );
    return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  };
  const certs: Certs = { dir, caA: join(dir, 'caA.pem'), caB: join(dir, 'caB.pem'), s1: leaf('s1', 'caA'), s2: leaf('s2', 'caA'), s2b: leaf('s2b', 'caB') };
  for (const v of ['2.6', '3.0'] as const) {
    const inner = join(keaRoot(v), dir);
    rmSync(inner, { recursive: true, force: true });
    mkdirSync(inner, { recursive: true });
    execFileSync('cp', ['-a', `${dir}/.`, inner]);
  }
  return certs;
}

export function removeCerts(certs: Certs): void {
  rmSync(certs.dir, { recursive: true, force: true });
  for (const v of ['2.6', '3.0'] as const) rmSync(join(keaRoot(v), certs.dir), { recursive: true, force: true });
}

/** A copy of libdhcp_lease_cmds.so outside the default hook directory (as an old guide would have it). */
function hookCopy(version: KeaVersion): string {
  const inner = `/tmp/dfc-oracle-hooks-${process.pid}`;
  const host = join(keaRoot(version), inner);
  if (!existsSync(join(host, 'libdhcp_lease_cmds.so'))) {
    mkdirSync(host, { recursive: true });
    copyFileSync(join(keaRoot(version), KEA_HOOKS_DIR, 'libdhcp_lease_cmds.so'), join(host, 'libdhcp_lease_cmds.so'));
  }
  return `${inner}/libdhcp_lease_cmds.so`;
}

export function removeHookCopies(): void {
  for (const v of ['2.2', '2.6', '3.0'] as const) rmSync(join(keaRoot(v), `/tmp/dfc-oracle-hooks-${process.pid}`), { recursive: true, force: true });
}

// ---------- the variants ----------

const tls = (rel: Json, ca: string, c: { cert: string; key: string }) => Object.assign(rel, { 'trust-anchor': ca, 'cert-file': c.cert, 'key-file': c.key });

const BASE: Omit<KeaVariant, 'versions'>[] = [
  { id: 'healthy hot-standby' },
  {
    id: 'healthy load-balancing',
    edit: (_s, rel) => {
      rel.mode = 'load-balancing';
      for (const p of rel.peers as Json[]) if (p.role === 'standby') p.role = 'secondary';
    },
  },
  {
    id: 'modes differ',
    edit: (s, rel) => {
      if (s !== 'server2') return;
      rel.mode = 'load-balancing';
      for (const p of rel.peers as Json[]) if (p.role === 'standby') p.role = 'secondary';
    },
  },
  {
    id: 'both call server1 primary, server2 sees itself primary',
    edit: (s, rel) => {
      if (s !== 'server2') return;
      for (const p of rel.peers as Json[]) p.role = p.name === 'server2' ? 'primary' : 'standby';
    },
  },
  {
    id: 'server2 calls server1 at a wrong port',
    edit: (s, rel, _d, _spec, ctx) => {
      if (s !== 'server2') return;
      const p = (rel.peers as Json[]).find((x) => x.name === 'server1')!;
      p.url = `http://${ctx.hosts.server1}:${ctx.ports.server1.ha + 1}/`;
    },
  },
  {
    id: 'max-response-delay below heartbeat-delay',
    edit: (_s, rel) => Object.assign(rel, { 'heartbeat-delay': 1000, 'max-response-delay': 700, 'max-unacked-clients': 0 }),
  },
  { id: 'heartbeat-delay differs', edit: (s, rel) => s === 'server2' && Object.assign(rel, { 'heartbeat-delay': 1500 }) },
];

const NEWER: Omit<KeaVariant, 'versions'>[] = [
  {
    id: 'TLS on both, one CA',
    edit: (s, rel, _d, _spec, ctx) => {
      tls(rel, ctx.certs.caA, s === 'server1' ? ctx.certs.s1 : ctx.certs.s2);
    },
  },
  {
    id: 'TLS on server1 only',
    edit: (s, rel, _d, _spec, ctx) => {
      if (s === 'server1') tls(rel, ctx.certs.caA, ctx.certs.s1);
    },
  },
  {
    id: 'TLS on both, unrelated CAs',
    edit: (s, rel, _d, _spec, ctx) => {
      if (s === 'server1') tls(rel, ctx.certs.caA, ctx.certs.s1);
      else tls(rel, ctx.certs.caB, ctx.certs.s2b);
    },
  },
  {
    // ISC's own load-balancing example pair: server1 with TLS and require-client-certs, server2 without.
    id: "ISC's load-balancing example: TLS on server1 only",
    edit: (s, rel, _d, _spec, ctx) => {
      rel.mode = 'load-balancing';
      for (const p of rel.peers as Json[]) if (p.role === 'standby') p.role = 'secondary';
      if (s === 'server1') Object.assign(tls(rel, ctx.certs.caA, ctx.certs.s1), { 'require-client-certs': true });
    },
  },
  {
    id: 'hook library by a full path outside the hook directory',
    edit: (s, _rel, d, _spec, ctx) => {
      if (s !== 'server2') return;
      const hooks = d['hooks-libraries'] as Json[];
      hooks[0]!.library = ctx.hookCopy(currentVersion);
    },
  },
  {
    id: 'server2 without HA multi-threading (no dedicated listener)',
    edit: (s, rel) => s === 'server2' && Object.assign(rel, { 'multi-threading': { 'enable-multi-threading': false } }),
  },
];

const ONLY_30: Omit<KeaVariant, 'versions'>[] = [
  {
    id: "dedicated listener on the control socket's port",
    edit: (s, _rel, _d, spec, ctx) => {
      if (s === 'server2') spec.controlPort = ctx.ports.server2.ha;
    },
  },
];

let currentVersion: KeaVersion = '2.2';

const LOSE = (v: [KeaVersion, KeaVersion]) => (v[0] !== v[1] && (v[0] === '3.0' || v[1] === '3.0') ? 'peers.versions-lose-updates' : undefined);

export function allKeaVariants(): KeaVariant[] {
  const out: KeaVariant[] = [];
  for (const v of ['2.2', '2.6', '3.0'] as const) {
    const list = [...BASE, ...(v === '2.2' ? [] : NEWER), ...(v === '3.0' ? ONLY_30 : [])];
    for (const b of list) out.push({ ...b, versions: [v, v] });
  }
  for (const vs of [
    ['2.6', '3.0'],
    ['3.0', '2.6'],
  ] as [KeaVersion, KeaVersion][]) {
    for (const id of ['healthy hot-standby', 'heartbeat-delay differs', 'TLS on both, one CA']) {
      const b = [...BASE, ...NEWER].find((x) => x.id === id)!;
      out.push({ ...b, versions: vs, mustWarn: LOSE });
    }
  }
  return out;
}

export interface DhcpdVariant {
  id: string;
  conf: (side: 'primary' | 'secondary') => string;
}

const sub = (text: string, from: string, to: string) => text.replace(from, to);
export function allDhcpdVariants(): DhcpdVariant[] {
  return [
    { id: 'dhcpd: the recipe pair', conf: (s) => pairConf(s) },
    {
      id: 'dhcpd: max-unacked-updates differ',
      conf: (s) => (s === 'secondary' ? sub(pairConf(s), 'max-unacked-updates 10', 'max-unacked-updates 5') : pairConf(s)),
    },
    { id: 'dhcpd: peer port not mirrored', conf: (s) => (s === 'secondary' ? sub(pairConf(s), 'peer port 647', 'peer port 648') : pairConf(s)) },
    {
      id: 'dhcpd: max-response-delay differ',
      conf: (s) => (s === 'secondary' ? sub(pairConf(s), 'max-response-delay 60', 'max-response-delay 30') : pairConf(s)),
    },
    {
      id: 'dhcpd: load balance max seconds differ',
      conf: (s) => (s === 'secondary' ? sub(pairConf(s), 'load balance max seconds 3', 'load balance max seconds 5') : pairConf(s)),
    },
    { id: 'dhcpd: primary without mclt', conf: (s) => (s === 'primary' ? sub(pairConf(s), '  mclt 600;\n', '') : pairConf(s)) },
    { id: 'dhcpd: peer names differ', conf: (s) => (s === 'secondary' ? pairConf(s).replaceAll('"dhcp-failover"', '"other-name"') : pairConf(s)) },
  ];
}

/** A seeded choice of `count` variants spread over the versions (round-robin over version groups). */
export function pick<T extends { versions?: [string, string] }>(all: T[], count: number, seed: number): T[] {
  let x = seed >>> 0 || 1;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const groups = new Map<string, T[]>();
  for (const v of all) {
    const k = v.versions?.join('/') ?? 'dhcpd';
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  for (const g of groups.values())
    for (let i = g.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [g[i], g[j]] = [g[j]!, g[i]!];
    }
  const out: T[] = [];
  const lists = [...groups.values()];
  for (let i = 0; out.length < Math.min(count, all.length); i++) {
    const g = lists[i % lists.length]!;
    const v = g.shift();
    if (v) out.push(v);
  }
  return out;
}

// ---------- running one Kea variant ----------

const WATCH_MS = 7000;

interface HaView {
  text: string;
  state: string;
  role?: string;
  remoteRole?: string;
  scopes: string[];
}

async function haView(s: KeaServer): Promise<HaView> {
  // The truth must be read, not timed out: a control agent under load (variants run side by side)
  // can take over a second, and an unread state is not a pair that did not form.
  try {
    const e = firstEntry(await s.command('status-get', undefined, { timeoutMs: 5000 }));
    type R = {
      'ha-servers'?: { local?: { state?: string; role?: string; scopes?: string[] }; remote?: { role?: string; 'communication-interrupted'?: boolean } };
    };
    const ha = (e?.arguments?.['high-availability'] as R[] | undefined)?.[0];
    const l = ha?.['ha-servers']?.local;
    const r = ha?.['ha-servers']?.remote;
    const st = l?.state ?? 'none';
    const text = `${st}${l?.role ? ` as ${l.role}` : ''}${r?.['communication-interrupted'] ? ' (communication interrupted)' : ''}`;
    return { text, state: st, ...(l?.role ? { role: l.role } : {}), ...(r?.role ? { remoteRole: r.role } : {}), scopes: l?.scopes ?? [] };
  } catch (err) {
    return { text: `no answer (${(err as Error).message})`, state: 'no answer', scopes: [] };
  }
}

/** Operating: both in an operating state, each one's role what the other thinks it is, no scope served twice. */
function operating(v: HaView[]): boolean {
  if (!v.every((x) => OPERATING.has(x.state))) return false;
  const [a, b] = v as [HaView, HaView];
  if (a.role !== b.remoteRole || b.role !== a.remoteRole) return false;
  return !a.scopes.some((s) => b.scopes.includes(s));
}

function firstLogError(text: string): string {
  const line =
    text.split('\n').find((l) => /\b(ERROR|FATAL)\b/.test(l) && !/DHCPSRV_NO_SOCKETS_OPEN|HA_.*COMMUNICATION/.test(l)) ??
    text.split('\n').find((l) => /fail|error/i.test(l)) ??
    'no log line';
  return line.replace(/^.*?(ERROR|FATAL)\s+/, '$1 ').slice(0, 220);
}

function verdictOf(r: { code: number | null; stdout: string }): Verdict {
  let peers = '?';
  const codes: string[] = [];
  try {
    const j = JSON.parse(r.stdout) as { checks?: { id: string; status: string; code: string; details?: { rules?: { code: string }[] } }[] };
    const c = j.checks?.find((x) => x.id === 'peers');
    if (c) {
      peers = `${c.status} ${c.code}`;
      codes.push(c.code, ...(c.details?.rules ?? []).map((x) => x.code));
    }
  } catch {
    peers = `unparsable output: ${r.stdout.slice(0, 200)}`;
  }
  return { exit: r.code, peers, codes: [...new Set(codes)] };
}

const runTool = async (args: string[], netns?: string) =>
  verdictOf(await runCli([...args, '--only', 'peers', '--format', 'json', '--timeout', '3s'], { timeoutMs: 30_000, ...(netns ? { netns } : {}) }));

export async function runKeaVariant(v: KeaVariant, k: number, certs: Certs): Promise<OracleRow> {
  const started = performance.now();
  const hosts: Record<Side, string> = { server1: `127.0.${k}.1`, server2: `127.0.${k}.2` };
  const ports = {} as Record<Side, { control: number; ha: number }>;
  for (const s of ['server1', 'server2'] as const) {
    const control = await freePort(hosts[s]);
    let ha = await freePort(hosts[s]);
    while (ha === control) ha = await freePort(hosts[s]);
    ports[s] = { control, ha: v.versions[s === 'server1' ? 0 : 1] === '2.2' ? control : ha };
  }
  const specs = (['server1', 'server2'] as const).map((s, i) => {
    const version = v.versions[i]!;
    const rel: Json = {
      'this-server-name': s,
      mode: 'hot-standby',
      'heartbeat-delay': 1000,
      'max-response-delay': 3000,
      'max-ack-delay': 5000,
      'max-unacked-clients': 0,
      peers: [
        { name: 'server1', url: `http://${hosts.server1}:${ports.server1.ha}/`, role: 'primary' },
        { name: 'server2', url: `http://${hosts.server2}:${ports.server2.ha}/`, role: 'standby' },
      ],
    };
    const dhcp4: Json = {
      'hooks-libraries': [{ library: 'libdhcp_lease_cmds.so' }, { library: 'libdhcp_ha.so', parameters: { 'high-availability': [rel] } }],
      subnet4: [{ id: 1, subnet: `10.${k}.0.0/24`, pools: [{ pool: `10.${k}.0.100 - 10.${k}.0.200` }] }],
    };
    const spec: KeaServerSpec = { name: s, host: hosts[s], controlPort: ports[s].control, dhcp4 };
    currentVersion = version;
    v.edit?.(s, rel, dhcp4, spec, { ports, hosts, certs, hookCopy });
    return { version, spec };
  });

  // Start: one version at a time group (a mixed pair is two harness calls).
  const pair: KeaServers[] = [];
  let startFailure: string | undefined;
  const groups = v.versions[0] === v.versions[1] ? [[0, 1]] : [[0], [1]];
  const results = await Promise.allSettled(
    groups.map((g) => startKeaServers({ version: specs[g[0]!]!.version, servers: g.map((i) => specs[i]!.spec), readyTimeoutMs: 8000 })),
  );
  for (const r of results) {
    if (r.status === 'fulfilled') pair.push(r.value);
    else startFailure = firstLogError((r.reason as Error).message);
  }
  const servers = pair.flatMap((p) => p.servers);
  const dir = mkdtempSync(join(tmpdir(), 'oracle-'));
  try {
    // The two configuration files as deployed (as the harness filled them).
    const files = (['server1', 'server2'] as const).map((s, i) => {
      const f = join(dir, `${s}.json`);
      const srv = servers.find((x) => x.name === s);
      // A server that did not start left no file: the same map, with the control socket the harness gives 3.0.
      const spec = specs[i]!.spec;
      const fallback =
        specs[i]!.version === '3.0'
          ? { ...spec.dhcp4, 'control-sockets': [{ 'socket-type': 'http', 'socket-address': spec.host, 'socket-port': spec.controlPort }] }
          : spec.dhcp4;
      writeFileSync(f, JSON.stringify(srv?.config ?? { Dhcp4: fallback }, null, 2));
      return f;
    });
    let truth: Truth;
    let live: Verdict | undefined;
    if (startFailure || servers.length < 2) {
      truth = { formed: false, what: `did not start: ${startFailure}` };
    } else {
      const until = performance.now() + WATCH_MS;
      let views: HaView[] = [];
      while (performance.now() < until) {
        views = await Promise.all(servers.map(haView));
        if (operating(views)) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      // Formed: operating, and still so a heartbeat later.
      if (operating(views)) {
        await new Promise((r) => setTimeout(r, 1500));
        views = await Promise.all(servers.map(haView));
      }
      const formed = operating(views);
      const served = views.map((x) => `serves [${x.scopes.join(',')}]`);
      truth = { formed, what: views.map((x, i) => `${x.text} ${served[i]}`).join(' / ') };
      live = await runTool([
        hosts.server2,
        '--local',
        hosts.server1,
        '--local-source',
        `kea:${servers[0]!.controlUrl}`,
        '--partner-source',
        `kea:${servers[1]!.controlUrl}`,
      ]);
    }
    const filesVerdict = await runTool([
      hosts.server2,
      '--local',
      hosts.server1,
      '--local-source',
      `kea-config:${files[0]}`,
      '--partner-source',
      `kea-config:${files[1]}`,
    ]);
    const mustWarn = v.mustWarn?.(v.versions);
    const disagreements: string[] = [];
    const want = truth.formed ? 0 : 1;
    if (filesVerdict.exit !== want && !(mustWarn && truth.formed && filesVerdict.exit === 0))
      disagreements.push(`before deploy: exit ${filesVerdict.exit} (${filesVerdict.peers}), the pair ${truth.formed ? 'formed' : 'did not form'}`);
    if (live && live.exit !== want) disagreements.push(`live: exit ${live.exit} (${live.peers}), the pair ${truth.formed ? 'formed' : 'did not form'}`);
    if (live && mustWarn && truth.formed && !live.codes.includes(mustWarn)) disagreements.push(`live: ${mustWarn} expected, got ${live.codes.join(', ')}`);
    return {
      id: v.id,
      versions: v.versions.join('↔'),
      truth,
      files: filesVerdict,
      ...(live ? { live } : {}),
      ...(mustWarn ? { mustWarn } : {}),
      disagreements,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await Promise.all(pair.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- running one dhcpd variant ----------

export async function runDhcpdVariant(v: DhcpdVariant): Promise<OracleRow> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'oracle-dhcpd-'));
  const confs = { primary: v.conf('primary'), secondary: v.conf('secondary') };
  const files = { primary: join(dir, 'primary.conf'), secondary: join(dir, 'secondary.conf') };
  writeFileSync(files.primary, confs.primary);
  writeFileSync(files.secondary, confs.secondary);
  let pair: DhcpdPair | undefined;
  let truth: Truth;
  let live: Verdict | undefined;
  let filesVerdict: Verdict;
  try {
    try {
      pair = await startDhcpdPair({ conf: confs });
    } catch (err) {
      truth = { formed: false, what: `did not start: ${firstLogError((err as Error).message)}` };
    }
    if (pair) {
      try {
        await pair.waitNormal(6000);
        truth = { formed: true, what: 'normal / normal' };
      } catch (err) {
        const m = (err as Error).message;
        truth = {
          formed: false,
          what: / exited /.test(m)
            ? `did not start: ${
                m
                  .split('\n')
                  .find((l) => /\.conf line \d+:|error|refus/i.test(l))
                  ?.trim()
                  .slice(0, 200) ?? m.split('\n')[0]
              }`
            : `not normal within 6 s: ${m.split('\n')[0]!.slice(0, 160)}`,
        };
      }
      // Live: the confs plus each running dhcpd's OMAPI, from inside the namespace.
      live = await runTool(
        ['127.0.0.2', '--local', '127.0.0.1', '--local-source', `dhcpd:${pair.primary.confPath}`, '--partner-source', `dhcpd:${pair.secondary.confPath}`],
        pair.netns,
      );
    }
    // Before deploy: the same confs, no server (a fresh empty namespace is not needed: no omapi answers here).
    filesVerdict = await runTool([
      '127.0.0.2',
      '--local',
      '127.0.0.1',
      '--local-source',
      `dhcpd:${files.primary}`,
      '--partner-source',
      `dhcpd:${files.secondary}`,
    ]);
  } finally {
    await pair?.stopAll();
  }
  const t = truth!;
  const want = t.formed ? 0 : 1;
  const disagreements: string[] = [];
  if (filesVerdict!.exit !== want)
    disagreements.push(`before deploy: exit ${filesVerdict!.exit} (${filesVerdict!.peers}), the pair ${t.formed ? 'formed' : 'did not form'}`);
  if (live && live.exit !== want) disagreements.push(`live: exit ${live.exit} (${live.peers}), the pair ${t.formed ? 'formed' : 'did not form'}`);
  rmSync(dir, { recursive: true, force: true });
  return {
    id: v.id,
    versions: 'dhcpd 4.4',
    truth: t,
    files: filesVerdict!,
    ...(live ? { live } : {}),
    disagreements,
    ms: Math.round(performance.now() - started),
  };
}

export function formatRow(r: OracleRow): string {
  const live = r.live ? `exit ${r.live.exit} ${r.live.peers}${r.live.codes.length > 1 ? ` [${r.live.codes.slice(1).join(',')}]` : ''}` : '—';
  return `${r.versions.padEnd(9)} | ${r.id.padEnd(58)} | ${r.truth.formed ? 'FORMED' : 'no'}: ${r.truth.what} | files: exit ${r.files.exit} ${r.files.peers} | live: ${live} | ${r.ms} ms${r.disagreements.length ? `\n    DISAGREE: ${r.disagreements.join('; ')}` : ''}`;
}
