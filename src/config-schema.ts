import { z } from 'zod';
import { CHECK_IDS } from './checks/ids.js';
import { FORMATS } from './plan.js';
import { SPEC_FORMS } from './sources/kinds.js';

// One schema describes the config file; CLI flags fill the same shape (camelCase keys), so the
// published JSON Schema and the TypeScript types can never drift apart.

const list = z.union([z.string(), z.array(z.string())]);
const duration = z.union([z.string(), z.number().positive().describe('seconds')]);

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    partner: z.string().min(1).describe('DNS name or IPv4 address of the failover partner').optional(),
    scopes: list.describe('scopes to be shared: "10.0.0.0" or "10.0.0.0/24"; default every scope of the local server').optional(),
    local: z.string().min(1).describe('the local (primary) server; default this machine').optional(),
    localSource: z.string().describe(SPEC_FORMS).optional(),
    partnerSource: z.string().describe(SPEC_FORMS).optional(),
    localNtp: z.string().describe('host[:port] of the local server clock').optional(),
    partnerNtp: z.string().describe('host[:port] of the partner clock; default <partner>:123').optional(),
    localSmb: z.string().describe('host[:port] whose SMB2 NEGOTIATE gives the local server clock; default <local>:445 for Windows').optional(),
    partnerSmb: z.string().describe('host[:port] whose SMB2 NEGOTIATE gives the partner clock; default <partner>:445 for Windows').optional(),
    maxTimeSkew: duration.describe('permissible clock difference, e.g. "60s" or "1m"; default 1m').optional(),
    failoverPort: z.number().int().min(1).max(65535).describe("TCP port of the failover protocol; default: the platform's (647; Kea: the partner's HA URL port)").optional(),
    timeout: duration.describe('bound for each probe, e.g. "5s"; default 5s').optional(),
    only: list.describe(`check ids to run: ${CHECK_IDS.join(' ')}`).optional(),
    skip: list.describe('check ids not to run').optional(),
    ignore: list.describe('check ids whose failures are reported as warnings').optional(),
    format: z.enum(FORMATS).describe('what goes to stdout; default human').optional(),
    output: list.describe('"<format>=<file>": also write a report in that format to a file').optional(),
    color: z.boolean().optional(),
    quiet: z.boolean().optional(),
    verbose: z.boolean().optional(),
    omapiKeyFile: z.string().describe('file holding a dhcpd `key` block for OMAPI (dhcpd sources)').optional(),
    kea: z
      .strictObject({
        user: z.string().min(1).optional(),
        passwordFile: z.string().describe('file holding the password (or set KEA_PASSWORD)').optional(),
        ca: z.string().describe('CA certificate file for https agents').optional(),
      })
      .optional(),
    ldap: z
      .strictObject({
        url: z.string().describe('ldaps://host or ldap://host (StartTLS)'),
        bindDn: z.string().optional(),
        passwordFile: z.string().describe('file holding the password (or set LDAP_PASSWORD)').optional(),
        ca: z.string().optional(),
        insecure: z.boolean().optional(),
        base: z.string().optional(),
        user: z.string().optional(),
        adminGroup: z.string().optional(),
      })
      .optional(),
  })
  .describe('dhcp-failover-check configuration file');

export type ConfigInput = z.infer<typeof ConfigSchema>;
