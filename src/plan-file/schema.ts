import { z } from 'zod';
import { ConfigSchema } from '../config-schema.js';
import { SPEC_FORMS } from '../sources/kinds.js';

// A plan file: the servers named once, the pairings to check, and the config file's options for
// every pairing. The per-pair keys of the config file (partner, local, sources, NTP endpoints,
// scopes) belong to servers and pairings here, so `options` does not take them.

const ServerSchema = z
  .strictObject({
    address: z.string().min(1).describe("what a pairing's partner argument would be: a DNS name or an IPv4 address"),
    source: z.string().describe(`where this server's facts come from: ${SPEC_FORMS}; relative paths are relative to the plan file`).optional(),
    ntp: z.string().describe("host[:port] of this server's clock (default <address>:123)").optional(),
    smb: z.string().describe("host[:port] of this server's SMB2 clock (default <address>:445 for a Windows server)").optional(),
  })
  .describe('one DHCP server, named once for every pairing it is in');

const PairingSchema = z
  .strictObject({
    local: z.string().min(1).describe('name of the local (primary) server, a key of `servers`'),
    partner: z.string().min(1).describe('name of the partner server, a key of `servers`'),
    scopes: z.union([z.string(), z.array(z.string())]).describe('scopes to share: "10.0.0.0" or "10.0.0.0/24"; default every scope of the local server').optional(),
  })
  .describe('one failover relationship to be created');

export const PlanOptionsSchema = ConfigSchema.omit({
  $schema: true,
  partner: true,
  scopes: true,
  local: true,
  localSource: true,
  partnerSource: true,
  localNtp: true,
  partnerNtp: true,
  localSmb: true,
  partnerSmb: true,
}).describe("the config file's options, for every pairing; command-line options override them");

export const PlanFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    servers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a server name is letters, digits, "_", "." and "-"'), ServerSchema),
    pairings: z.array(PairingSchema).min(1).max(10_000),
    options: PlanOptionsSchema.optional(),
  })
  .describe('dhcp-failover-check plan file: many pairings checked at once');

export type PlanFile = z.infer<typeof PlanFileSchema>;
export type PlanServer = z.infer<typeof ServerSchema>;
export type PlanPairing = z.infer<typeof PairingSchema>;
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;
