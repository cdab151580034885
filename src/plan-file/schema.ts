import { z } from 'zod';
import { optionSchema, optionsObject } from '../config-schema.js';
import { ALL_OPTIONS, type GlobalInput, type PairingInput, type ServerInput } from '../options.js';

// A plan file: the servers named once, the pairings to check, and the options for every pairing.
// Which option goes where is the option table's `scope` (options.ts): a server's keys are the
// per-server options (`source` for --local-source/--partner-source), a pairing's the per-pairing
// ones, and `options` takes the rest.

const serverOptions = new Map(
  ALL_OPTIONS.filter((o) => o.scope === 'server' && o.serverKey !== 'address' && o.role === 'partner').map((o) => [o.serverKey!, o]),
);

const ServerSchema = z
  .strictObject({
    address: z.string().min(1).describe("what a pairing's partner argument would be: a DNS name or an IP address"),
    ...Object.fromEntries(
      [...serverOptions].map(([key, o]) => [
        key,
        optionSchema({ ...o, description: `this server's ${key}: as ${o.flags?.split(' ')[0] ?? o.key} (relative paths are relative to the plan file)` }),
      ]),
    ),
  })
  .describe('one DHCP server, named once for every pairing it is in');

const PairingSchema = z
  .strictObject({
    local: z.string().min(1).describe('name of the local (primary) server, a key of `servers`'),
    partner: z.string().min(1).describe('name of the partner server, a key of `servers`'),
    ...Object.fromEntries(ALL_OPTIONS.filter((o) => o.scope === 'pairing').map((o) => [o.key, optionSchema(o)])),
  })
  .describe('one failover relationship to be created');

export const PlanOptionsSchema = optionsObject((o) => o.scope === 'global').describe(
  "the config file's options for every pairing; command-line options override them",
);

/** Pairings in one plan file (README: Limits). */
export const MAX_PAIRINGS = 10_000;

export const PlanFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    servers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a server name is letters, digits, "_", "." and "-"'), ServerSchema),
    pairings: z.array(PairingSchema).min(1).max(MAX_PAIRINGS),
    options: PlanOptionsSchema.optional(),
  })
  .describe('dhcp-failover-check plan file: many pairings checked at once') as unknown as z.ZodType<PlanFile>;

export interface PlanFile {
  $schema?: string;
  servers: Record<string, PlanServer>;
  pairings: PlanPairing[];
  options?: PlanOptions;
}
export type PlanServer = ServerInput;
export type PlanPairing = PairingInput;
export type PlanOptions = GlobalInput;
