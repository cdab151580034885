import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { iscDhcpd } from '../platforms/isc-dhcpd/index.js';
import { matchPeers } from '../platforms/isc-dhcpd/match.js';
import { readDhcpdSide } from './dhcpd-side.js';
import { InputError } from '../util/errors.js';
import { readGuarded } from '../util/read-guarded.js';
import { queueStdout } from '../util/stdout.js';
import { DEFAULT_HA_PORT, DEFAULT_HOOKS_DIR, haSection, type HaSection } from './ha-section.js';
import { comment, parseCommented, render, type Doc } from './render.js';
import type { MigrateRequest } from './subcommand.js';

// `migrate`: read the dhcpd pair, judge it by the isc-dhcpd `peers` rules, print (or write) the
// HA section, merge it into keama's outputs, and with --to check the Kea pair against the old one.
// Nothing here talks to a server; the only writes are the files under --out-dir.

const DEADLINE = { timeoutMs: 5000 };
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function two(text: string | undefined, option: string, prefix?: string): [string, string] {
  if (text === undefined || text === '') throw new InputError(`${option}: missing (give ${prefix ? `${prefix}<a>,${prefix}<b>` : '<a>,<b>'})`);
  const parts = text.split(',');
  if (parts.length !== 2 || parts.some((p) => p === '')) throw new InputError(`${option}: "${text}" is not two comma-separated values`);
  if (prefix === undefined) return parts as [string, string];
  return parts.map((p) => {
    if (!p.startsWith(prefix) || p.length === prefix.length) throw new InputError(`${option}: "${p}" is not ${prefix}<file>`);
    return p.slice(prefix.length);
  }) as [string, string];
}

function namesFor(request: MigrateRequest, paths: [string, string]): [string, string] {
  let names: [string, string];
  if (request.names !== undefined) names = two(request.names, '--names');
  else {
    names = paths.map((p) => basename(p).replace(/\.conf$/, '')) as [string, string];
    if (names[0] === names[1] || !names.every((n) => NAME.test(n))) names = ['server1', 'server2'];
  }
  for (const n of names) if (!NAME.test(n)) throw new InputError(`--names: "${n}" is not a server name (letters, digits, . _ -)`);
  if (names[0] === names[1]) throw new InputError(`--names: both servers are named "${names[0]}"`);
  return names;
}

function port(text: string | undefined): number {
  if (text === undefined) return DEFAULT_HA_PORT;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new InputError(`--ha-port: "${text}" is not a port (1-65535)`);
  return n;
}

/**
 * Writes `file` unless it exists with other content: a rerun that produces the same file is fine,
 * a file the admin (or an earlier, different run) left there is never replaced.
 */
function writeNew(file: string, text: string): void {
  if (existsSync(file)) {
    if (statSync(file).isFile() && readFileSync(file, 'utf8') === text) return;
    throw new InputError(`--out-dir: ${file} exists with other content; remove it or choose another directory`);
  }
  writeFileSync(file, text, { flag: 'wx' });
}

/** Kea 1.9's replacement for `reservation-mode` (removed in 2.5: Kea 2.6 and 3.0 refuse the key). */
const RESERVATION_MODE: Record<string, Record<string, boolean>> = {
  disabled: { 'reservations-global': false, 'reservations-in-subnet': false },
  'out-of-pool': { 'reservations-in-subnet': true, 'reservations-out-of-pool': true },
  global: { 'reservations-global': true, 'reservations-in-subnet': false },
  all: { 'reservations-in-subnet': true, 'reservations-out-of-pool': false },
};

/**
 * keama 4.4.3 writes `"reservation-mode": "global"` for global host reservations; Kea 2.6 and 3.0
 * refuse the key ("got unexpected keyword"). Each one becomes its documented replacement, with a
 * comment saying so; `changed` hears what was replaced.
 */
export function replaceReservationMode(value: unknown, changed: (mode: string) => void): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceReservationMode(v, changed));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const instead = k === 'reservation-mode' && typeof v === 'string' ? RESERVATION_MODE[v] : undefined;
    if (instead) {
      changed(v as string);
      Object.assign(
        out,
        comment(
          `"reservation-mode": "${String(v)}" (keama's; Kea 2.5+ refuses the key) became ${Object.entries(instead)
            .map(([a, b]) => `"${a}": ${b}`)
            .join(', ')}`,
        ),
        instead,
      );
    } else out[k] = replaceReservationMode(v, changed);
  }
  return out;
}

/** keama's output for one server with the HA hooks added to its Dhcp4 (after any hooks it has). */
export function mergeInto(keama: unknown, server: Doc, what: string): Doc {
  if (keama === null || typeof keama !== 'object' || Array.isArray(keama)) throw new InputError(`--merge: ${what} is not a JSON object`);
  const top = keama as Record<string, unknown>;
  const dhcp4 = top.Dhcp4;
  if (dhcp4 === null || typeof dhcp4 !== 'object' || Array.isArray(dhcp4)) throw new InputError(`--merge: ${what} has no "Dhcp4" object (keama -4 writes one)`);
  const ours = (server as { 'hooks-libraries': { library: string }[] })['hooks-libraries'];
  const theirs = Array.isArray((dhcp4 as Record<string, unknown>)['hooks-libraries'])
    ? ((dhcp4 as Record<string, unknown>)['hooks-libraries'] as { library?: unknown }[])
    : [];
  const base = (l: unknown) => (typeof l === 'string' ? basename(l) : '');
  const clash = theirs.find((t) => ours.some((o) => base(o.library) === base(t.library)));
  if (clash) throw new InputError(`--merge: ${what} already loads ${String(clash.library)}; remove it there or merge by hand`);
  const fixed = replaceReservationMode(dhcp4, (mode) =>
    process.stderr.write(
      `dhcp-failover-check migrate: ${what}: "reservation-mode": "${mode}" replaced by its Kea 2.5+ equivalent (Kea 2.6 and 3.0 refuse the key)\n`,
    ),
  ) as Record<string, unknown>;
  return { ...top, Dhcp4: { ...fixed, 'hooks-libraries': [...theirs, ...ours] } };
}

export async function runMigrate(request: MigrateRequest): Promise<number> {
  const paths = two(request.from, '--from', 'dhcpd:');
  const haPort = port(request.haPort);
  if (request.merge !== undefined && request.outDir === undefined)
    throw new InputError('--merge needs --out-dir (it writes one full configuration per server)');
  if (request.outDir === '') throw new InputError('--out-dir: empty value');
  const mergePaths = request.merge !== undefined ? two(request.merge, '--merge') : undefined;
  const toPaths = request.to !== undefined ? two(request.to, '--to', 'kea-config:') : undefined;
  const names = namesFor(request, paths);
  const hooksDir = request.hooksDir ?? DEFAULT_HOOKS_DIR;
  if (hooksDir === '') throw new InputError('--hooks-dir: empty value');

  const [a, b] = await Promise.all(paths.map(readDhcpdSide));
  const keama = mergePaths
    ? await Promise.all(
        mergePaths.map(async (p) => {
          const { bytes } = await readGuarded(p, { purpose: 'server-config', label: '--merge', ...DEADLINE });
          try {
            return parseCommented(bytes.toString('utf8'), p);
          } catch (err) {
            throw new InputError(`--merge: ${(err as Error).message}`);
          }
        }),
      )
    : undefined;

  // The dhcpd pair itself, by this tool's isc-dhcpd `peers` rules.
  const pair = { local: a!.facts, partner: b!.facts };
  const verdict = await iscDhcpd.pairing!(pair);
  const m = matchPeers(pair);
  const problems = [...verdict.failures];
  if (problems.length === 0 && (!m.local || !m.partner)) problems.push('no failover peer pairs the two confs');
  if (problems.length > 0) {
    process.stderr.write(
      `dhcp-failover-check migrate: the dhcpd pair is not consistent, so there is no one failover relationship to carry over:\n${problems.map((p) => `  - ${p}\n`).join('')}`,
    );
    return 1;
  }
  const extra = [a!, b!].flatMap((s, i) =>
    s.conf.failoverPeers.length > 1
      ? [`${paths[i]} declares ${s.conf.failoverPeers.length} failover peers; only "${m.local!.name}" is carried over (run migrate once per relationship)`]
      : [],
  );
  const section = haSection(m.local!, m.partner!, { haPort, hooksDir, names });
  const warnings = [...section.warnings, ...extra];

  let code = 0;
  if (toPaths) {
    const { checkMigration } = await import('./compare.js');
    code = await checkMigration([a!, b!], toPaths, section, (line) => process.stderr.write(`${line}\n`));
  }

  for (const w of warnings) process.stderr.write(`dhcp-failover-check migrate: warning: ${w}\n`);
  if (request.outDir === undefined) {
    queueStdout(`${render(section.servers)}\n`);
    return code;
  }
  writeFiles(request.outDir, section, keama, mergePaths);
  return code;
}

function writeFiles(dir: string, section: HaSection, keama: unknown[] | undefined, mergePaths: [string, string] | undefined): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`--out-dir: cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const texts = section.sides.map((side, i) => {
    const server = section.servers[side.name];
    const doc = keama ? mergeInto(keama[i], server, mergePaths![i]!) : server;
    return [join(dir, `${side.name}.json`), `${render(doc)}\n`] as const;
  });
  // Both refused or both written: check before writing either.
  for (const [file, text] of texts) if (existsSync(file) && !(statSync(file).isFile() && readFileSync(file, 'utf8') === text)) writeNew(file, text);
  for (const [file, text] of texts) {
    try {
      writeNew(file, text);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`--out-dir: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    process.stderr.write(`dhcp-failover-check migrate: wrote ${file}\n`);
  }
}
