import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { probeReach, sourceHintsOf, type ClockReading, type Context, type PartnerAddress, type Reach, type Role } from '../../src/context.js';
import type { ServerFacts } from '../../src/facts.js';
import type { PairingPlan } from '../../src/plan.js';
import type { DirectoryFacts } from '../../src/probes/ldap.js';
import { CHECK_IDS } from '../../src/checks/ids.js';
import { looksLikeIPv4, parseIPv4 } from '../../src/net/ipv4.js';
import { ProbeError } from '../../src/util/errors.js';

/** A PairingPlan with buildPlan's defaults; `overrides` replaces any field. */
export function makePlan(overrides: Partial<PairingPlan> = {}): PairingPlan {
  return {
    partner: '10.0.0.2',
    maxTimeSkewSeconds: 60,
    timeoutMs: 5000,
    checks: [...CHECK_IDS],
    ignore: [],
    ...overrides,
  };
}

/** A fact, or an Error to throw when a check asks for it (a live source that failed). */
type Given<T> = T | Error;

export interface TestContextInput {
  plan?: Partial<PairingPlan>;
  /** Default: the plan's partner, taken as an IPv4 address. */
  partner?: PartnerAddress;
  local?: Given<ServerFacts | undefined>;
  partnerFacts?: Given<ServerFacts | undefined>;
  /** Default: both clocks read 0 ms offset with no error. */
  localClock?: Given<ClockReading>;
  partnerClock?: Given<ClockReading>;
  localAddresses?: string[];
  /** What --ldap would say; default: no directory. */
  directory?: Given<DirectoryFacts | undefined>;
  signal?: AbortSignal;
}

export interface TestContext extends Context {
  /** How many times each accessor was called, e.g. calls['facts:partner']. */
  readonly calls: Record<string, number>;
}

export const clockAt = (offsetMs: number, errorMs = 0, source = 'test clock'): ClockReading => ({
  offsetMs,
  delayMs: errorMs * 2,
  errorMs,
  source,
});

/** The partner as the real context would see it, for an address; a name counts as resolved to 10.0.0.2. */
export function partnerAs(input: string, address = '10.0.0.2'): PartnerAddress {
  if (!looksLikeIPv4(input)) return { input, kind: 'name', address };
  return parseIPv4(input) === undefined
    ? { input, kind: 'address', error: 'not a valid dotted-quad IPv4 address' }
    : { input, kind: 'address', address: input };
}

/** A plain object implementing Context from given values: no network, no files. */
export function makeContext(input: TestContextInput = {}): TestContext {
  const plan = makePlan(input.plan);
  const partner: PartnerAddress = input.partner ?? partnerAs(plan.partner);
  const calls: Record<string, number> = {};
  const count = (key: string) => {
    calls[key] = (calls[key] ?? 0) + 1;
  };
  const give = async <T>(key: string, value: Given<T>): Promise<T> => {
    count(key);
    if (value instanceof Error) throw value;
    return value;
  };
  return {
    plan,
    signal: input.signal ?? new AbortController().signal,
    calls,
    partner: () => give('partner', partner),
    facts: (role: Role) => give(`facts:${role}`, role === 'local' ? input.local : input.partnerFacts),
    clock: (role: Role) => give(`clock:${role}`, (role === 'local' ? input.localClock : input.partnerClock) ?? clockAt(0)),
    localAddresses: () => give('localAddresses', input.localAddresses ?? ['10.0.0.1']),
    directory: () => give('directory', input.directory),
    // The real probes: reachability tests talk to real loopback ports.
    reach: async (host: string, port: number): Promise<Reach> => {
      count(`reach:${host}:${port}`);
      return probeReach(host, port, plan.timeoutMs);
    },
    sourceHints: () => sourceHintsOf(plan),
  };
}

/** ServerFacts with a source name and platform; `extra` adds the facts a test needs. */
export function facts(extra: Partial<ServerFacts> = {}): ServerFacts {
  return { source: 'test', platform: 'windows', ...extra };
}

export const probeError = (message: string, code = 'test') => new ProbeError(message, code);

/** A file under test/fixtures/, found upwards from here: tests run from test/ or from dist/test/. */
export function fixturePath(relative: string): string {
  for (let up = '../'; up.length < 16; up += '../') {
    const candidate = fileURLToPath(new URL(`${up}test/fixtures/${relative}`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`test/fixtures/${relative} not found`);
}
