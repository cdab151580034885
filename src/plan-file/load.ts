import { dirname, resolve } from 'node:path';
import { fileDeadline, parseEndpoint, parseSourceSpec, rebase } from '../config.js';
import type { ConfigInput } from '../config-schema.js';
import { InputError } from '../util/errors.js';
import { readGuardedText } from '../util/read-guarded.js';
import type { PlanPairing, PlanServer } from './schema.js';

/** A plan file as validated: sources and files rebased on the plan's folder. */
export interface LoadedPlan {
  /** The plan file as given on the command line. */
  path: string;
  servers: ReadonlyMap<string, PlanServer>;
  pairings: PlanPairing[];
  options: ConfigInput;
}

/** Reads, validates and rebases a plan file; every problem is one InputError naming it. `timeout`: --timeout, for a plan that is a pipe. */
export async function readPlanFile(path: string, timeout?: string | number): Promise<LoadedPlan> {
  const text = await readGuardedText(path, { purpose: 'config', ...fileDeadline(timeout) });
  const [{ PlanFileSchema }, { parseDocument, YAML_MAX_BYTES }] = await Promise.all([import('./schema.js'), import('../util/document.js')]);
  const doc = await parseDocument(path, text, PlanFileSchema, { maxYamlBytes: YAML_MAX_BYTES });
  const dir = dirname(resolve(path));
  const servers = new Map<string, PlanServer>();
  for (const [name, s] of Object.entries(doc.servers)) {
    const source = s.source === undefined ? undefined : rebase({ localSource: s.source }, dir).localSource;
    // Parsed here so the error names the server; the pairing's run parses the same text again.
    if (source !== undefined) parseSourceSpec(source, `${path}: servers.${name}.source`);
    if (s.ntp !== undefined) parseEndpoint(s.ntp, `${path}: servers.${name}.ntp`, 123);
    if (s.smb !== undefined) parseEndpoint(s.smb, `${path}: servers.${name}.smb`, 445);
    servers.set(name, {
      address: s.address,
      ...(source !== undefined ? { source } : {}),
      ...(s.ntp !== undefined ? { ntp: s.ntp } : {}),
      ...(s.smb !== undefined ? { smb: s.smb } : {}),
    });
  }
  checkPairings(path, servers, doc.pairings);
  return { path, servers, pairings: doc.pairings, options: rebase(doc.options ?? {}, dir) };
}

/** Unknown servers, a server paired with itself, the same two servers twice (either way round). */
export function checkPairings(path: string, servers: ReadonlyMap<string, unknown>, pairings: readonly PlanPairing[]): void {
  const seen = new Map<string, number>();
  pairings.forEach((p, i) => {
    for (const role of ['local', 'partner'] as const) {
      if (!servers.has(p[role])) {
        throw new InputError(`${path}: pairings.${i}.${role}: unknown server "${p[role]}" (servers: ${[...servers.keys()].join(', ') || 'none'})`);
      }
    }
    if (p.local === p.partner) throw new InputError(`${path}: pairings.${i}: pairs server "${p.local}" with itself`);
    const key = [p.local, p.partner].sort().join('\u0000');
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputError(`${path}: pairings.${i}: ${p.local} and ${p.partner} are already paired by pairings.${earlier}`);
    seen.set(key, i);
  });
}
