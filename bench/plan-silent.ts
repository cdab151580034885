import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentNet } from '../test/helpers/netns.js';
import { BIN, log, mib, ms, RUNS, spread, summarize, timed } from './util.js';
import { verdict, type Row } from './table.js';

// "A silent partner costs a waiting socket, not a worker": one plan of 2,000 pairings over 1,000
// Windows servers (windows-json bundles), run with 50 of its partners silent (A) and with the
// same 50 servers answering on loopback (B), same --timeout T. PASS: A ≤ 2·T + B (medians) and the
// peak RSS of A < 400 MB. Everything runs inside a private network namespace (see silentNet).

const SERVERS = 1000;
const PAIRINGS = 2000;
const SILENT = 50;
/** Servers 0..LOCALS-1 are the pairings' local sides; the last SILENT servers are only partners. */
const LOCALS = SERVERS - SILENT;
const SCOPES_PER_SERVER = Math.ceil(PAIRINGS / LOCALS);
const TIMEOUT_MS = 2000;
const TIMEOUT = `${TIMEOUT_MS / 1000}s`;
const RSS_LIMIT_KIB = 400 * 1024;
const RUN_LIMIT_MS = 600_000;
const GNU_TIME = '/usr/bin/time';

/** Server i on loopback: 127.10.x.y (y 1..250). */
const loopback = (i: number) => `127.10.${Math.floor(i / 250)}.${(i % 250) + 1}`;
/** Silent server j (0..SILENT-1): 10.200.0.2.. in the namespace, where frames vanish. */
const silent = (j: number) => `10.200.0.${j + 2}`;
const name = (i: number) => `srv${String(i).padStart(4, '0')}`;
/** Scope k of server i: 10.a.b.0/24, distinct for every (server, k). */
const scope = (i: number, k: number) => {
  const n = i * SCOPES_PER_SERVER + k;
  return `10.${Math.floor(n / 256)}.${n % 256}.0`;
};

/** A .NET IPAddress as ConvertTo-Json writes it (examples/local.json). */
function ip(dotted: string): string {
  const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
  const le = d * 0x1000000 + c * 0x10000 + b * 0x100 + a;
  return `{"Address":${le},"AddressFamily":2,"ScopeId":null,"IsIPv6Multicast":false,"IsIPv6LinkLocal":false,"IsIPv6SiteLocal":false,"IsIPv6Teredo":false,"IsIPv4MappedToIPv6":false,"IPAddressToString":"${dotted}"}`;
}

/** A windows-json bundle (docs/windows-sources.md): running, authorized, static address, no relationships yet. */
function bundle(i: number, address: string): string {
  const scopes = Array.from({ length: SCOPES_PER_SERVER }, (_, k) => {
    const net = scope(i, k);
    const base = net.slice(0, net.lastIndexOf('.'));
    return `{"ScopeId":${ip(net)},"SubnetMask":${ip('255.255.255.0')},"StartRange":${ip(`${base}.10`)},"EndRange":${ip(`${base}.200`)},"Name":"Clients ${k}","State":0}`;
  });
  return (
    `{"ComputerName":"${name(i).toUpperCase()}","Version":{"MajorVersion":10,"MinorVersion":0},` +
    `"Scopes":[${scopes.join(',')}],"ExclusionRanges":[],"Failover":[],` +
    `"Service":{"Name":"DHCPServer","Status":4},"Setting":{"IsAuthorized":true,"IsDomainJoined":true},` +
    `"Parameters":{"DhcpMsgSyncDeltaTime":60},"Identity":{"User":"LAB\\\\dhcpadmin","IsDhcpAdministrator":true},` +
    `"NetIPAddress":[{"IPAddress":"${address}","InterfaceAlias":"Ethernet","PrefixLength":24,"PrefixOrigin":1,"SuffixOrigin":1}]}\n`
  );
}

/**
 * Pairing i: local l = i mod LOCALS sharing its scope r = ⌊i/LOCALS⌋, partner l + OFFSETS[r]
 * (mod SERVERS). No two offsets add up to 0 mod SERVERS, so no two servers are paired twice
 * (either way round); every silent server is the partner in two pairings.
 */
const OFFSETS = [101, 303, 505];
function pairings(): { local: number; partner: number; scope: string }[] {
  return Array.from({ length: PAIRINGS }, (_, i) => {
    const local = i % LOCALS;
    const r = Math.floor(i / LOCALS);
    return { local, partner: (local + OFFSETS[r]!) % SERVERS, scope: `${scope(local, r)}/24` };
  });
}

/** Writes the bundles and the two plans (with and without silent partners); returns their paths. */
export function writePlans(dir: string): { withSilent: string; without: string; silentPairings: number } {
  const pairs = pairings();
  const plan = (silentOnes: boolean) => {
    const servers: Record<string, { address: string; source: string }> = {};
    for (let i = 0; i < SERVERS; i++) {
      const isSilent = silentOnes && i >= LOCALS;
      const address = isSilent ? silent(i - LOCALS) : loopback(i);
      const file = `${name(i)}${isSilent ? '-silent' : ''}.json`;
      if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), bundle(i, address));
      servers[name(i)] = { address, source: `windows-json:${file}` };
    }
    return JSON.stringify({ servers, pairings: pairs.map((p) => ({ local: name(p.local), partner: name(p.partner), scopes: [p.scope] })) });
  };
  writeFileSync(join(dir, 'with-silent.json'), plan(true));
  writeFileSync(join(dir, 'without.json'), plan(false));
  return { withSilent: join(dir, 'with-silent.json'), without: join(dir, 'without.json'), silentPairings: pairs.filter((p) => p.partner >= LOCALS).length };
}

/**
 * The private namespace of test/helpers/netns.ts (loopback up, 10.200.0.0/24 on a veth whose
 * peer drops everything), with permanent neighbour entries for all 50 silent addresses, so each
 * is routable and nothing ever answers: no ARP failure, no ICMP error, no RST.
 */
function silentNet() {
  const net = createSilentNet();
  try {
    for (let j = 1; j < SILENT; j++) {
      execFileSync('nsenter', [`--net=${net.netns}`, 'ip', 'neigh', 'add', silent(j), 'lladdr', '02:00:00:00:00:99', 'dev', 'veth0', 'nud', 'permanent'], {
        stdio: 'pipe',
      });
    }
  } catch (err) {
    net.close();
    throw err;
  }
  return net;
}

interface PlanRun {
  wallMs: number;
  rssKiB: number;
  code: number | null;
  summary: string;
}

/** One plan run inside the namespace under GNU time (its %M: the CLI's peak RSS, in KiB). */
async function runPlan(netns: string, plan: string, dir: string): Promise<PlanRun> {
  const rssFile = join(dir, 'rss.txt');
  rmSync(rssFile, { force: true });
  const t = await timed(
    ['nsenter', `--net=${netns}`, GNU_TIME, '-f', '%M', '-o', rssFile, process.execPath, BIN, 'plan', plan, '--timeout', TIMEOUT, '--format', 'json'],
    { timeoutMs: RUN_LIMIT_MS },
  );
  if (t.signal) throw new Error(`plan killed (${t.signal}) after ${ms(t.wallMs)}`);
  if (t.code === null || t.code > 3) throw new Error(`plan exit ${t.code}: ${t.stderr.trim().slice(0, 300)}`);
  let r: { pairings: { checks: { id: string; status: string }[] }[]; summary: { pairings: { ok: number; failed: number; unknown: number } } };
  try {
    r = JSON.parse(t.stdout) as typeof r;
  } catch {
    throw new Error(`no JSON report (exit ${t.code}): ${t.stderr.trim().slice(0, 300)}`);
  }
  if (r.pairings.length !== PAIRINGS) throw new Error(`plan reported ${r.pairings.length} pairings, not ${PAIRINGS}`);
  const reach: Record<string, number> = {};
  for (const p of r.pairings) {
    const c = p.checks.find((x) => x.id === 'reachability');
    reach[c?.status ?? 'absent'] = (reach[c?.status ?? 'absent'] ?? 0) + 1;
  }
  const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return {
    wallMs: t.wallMs,
    rssKiB,
    code: t.code,
    summary: `exit ${t.code}, pairings ${Object.entries(r.summary.pairings)
      .map(([s, n]) => `${s} ${n}`)
      .join(' / ')}, reachability ${Object.entries(reach)
      .map(([s, n]) => `${s} ${n}`)
      .join(' / ')}`,
  };
}

export async function planSilentPartners(): Promise<Row[]> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} missing (GNU time gives the peak RSS): apt-get install -y time`);
  const dir = mkdtempSync(join(tmpdir(), 'dfc-bench-plan-silent-'));
  const net = silentNet();
  try {
    const { withSilent, without, silentPairings } = writePlans(dir);
    const rounds = Math.min(RUNS, 3);
    const a: PlanRun[] = [];
    const b: PlanRun[] = [];
    // Interleaved B, A, B, A, ...; no warm-up round (the bundles were just written: page cache warm).
    for (let r = 0; r < rounds; r++) {
      b.push(await runPlan(net.netns, without, dir));
      log(`plan-silent: round ${r + 1}/${rounds}: B ${ms(b.at(-1)!.wallMs)}, ${mib(b.at(-1)!.rssKiB)}`);
      a.push(await runPlan(net.netns, withSilent, dir));
      log(`plan-silent: round ${r + 1}/${rounds}: A ${ms(a.at(-1)!.wallMs)}, ${mib(a.at(-1)!.rssKiB)}`);
    }
    const A = summarize(a.map((x) => x.wallMs));
    const B = summarize(b.map((x) => x.wallMs));
    const rssA = summarize(a.map((x) => x.rssKiB));
    const rssB = summarize(b.map((x) => x.rssKiB));
    const limit = 2 * TIMEOUT_MS + B.median;
    const pass = A.median <= limit && rssA.max < RSS_LIMIT_KIB;
    log(
      `plan-silent: A ${ms(A.median)}, B ${ms(B.median)}, T ${TIMEOUT}, limit 2·T + B = ${ms(limit)}, A/limit ${(A.median / limit).toFixed(2)}×, peak RSS A ${mib(rssA.max)} → ${pass ? 'PASS' : 'MISS'}`,
    );
    return [
      {
        measurement: `plan of ${PAIRINGS} pairings, ${SILENT} silent partners (A) vs none (B), \`--timeout ${TIMEOUT}\``,
        ours: `A ${spread(A)}; peak RSS ${spread(rssA, mib)}`,
        comparedWith: `B ${spread(B)}; limit 2·T + B = ${ms(limit)}`,
        ratio: `${(A.median / limit).toFixed(2)}× of limit`,
        target: '≤ 2·T + B; RSS < 400 MB',
        result: verdict(pass),
        note:
          `"A silent partner costs a waiting socket, not a worker." ${SERVERS} Windows servers from generated windows-json bundles (${SCOPES_PER_SERVER} scopes each), ` +
          `${PAIRINGS} pairings each sharing one scope, every check, \`plan <file> --timeout ${TIMEOUT} --format json\` at the default --concurrency, ` +
          `run inside a private netns (nsenter) under GNU time. A: ${SILENT} servers (only ever partners, in ${silentPairings} pairings) at ${silent(0)}–${silent(SILENT - 1)}, where frames vanish; ` +
          `B: the same plan with those ${SILENT} on loopback like the other ${LOCALS} (127.10.x.y). ${rounds} interleaved rounds (B, A); ` +
          `PASS needs median A ≤ 2·T + median B and the largest peak RSS of A (GNU time %M) < 400 MB. ` +
          `Loopback answers neither NTP nor SMB2 and refuses port 647, so B's pairings end unknown (time) with reachability warn; static-address skips (loopback addresses only). ` +
          `A: ${a[0]!.summary}; B: ${b[0]!.summary}; peak RSS of B ${spread(rssB, mib)}. ` +
          `Alone: \`BENCH_ONLY=plan-silent node dist/bench/bench.js\`.`,
      },
    ];
  } finally {
    net.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What docs/performance.md says about this row (written by report.ts under the notes). */
export const PLAN_SILENT_SECTION = `### A plan with silent partners (\`plan-silent\`)

\`\`\`sh
npm run build && BENCH_ONLY=plan-silent node dist/bench/bench.js   # this row alone (as root: it makes a netns)
\`\`\`

The requirement behind it: *a silent partner costs a waiting socket, not a worker*. The row
writes ${SERVERS.toLocaleString('en')} generated Windows bundles (\`windows-json:\`, ${SCOPES_PER_SERVER} scopes each) and one plan of
${PAIRINGS.toLocaleString('en')} pairings over them (each shares one scope of its local server; no two servers are paired
twice), and runs \`dhcp-failover-check plan <file> --timeout ${TIMEOUT} --format json\` at the default
\`--concurrency\`, inside a private network namespace (nsenter), under GNU time, B, A interleaved
for min(BENCH_RUNS, 3) rounds:

- **A**: ${SILENT} of the servers, only ever partners (in 100 pairings), are at ${silent(0)}–${silent(SILENT - 1)} in the
  namespace: routable, but their neighbour entries point at a MAC no interface has, so frames
  vanish: no reply, no ICMP error, no RST, and TCP, UDP (NTP) and ping all wait out T;
- **B**: the same plan with those ${SILENT} on loopback (127.10.x.y) like the other ${LOCALS}.

PASS when median A ≤ 2·T + median B (T = ${TIMEOUT_MS / 1000} s) and the peak RSS of A (GNU time's maximum
resident set size, \`%M\`, of the CLI process) stays under 400 MB. It prints A, B, the limit 2·T + B,
A as a multiple of that limit, and the peak RSS of both.
`;
