import { z } from 'zod';
import { STATUSES } from '../checks/ids.js';
import { ReportSchema } from './schema.js';

const counts = z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof STATUSES)[number], z.ZodNumber>);

/** The published shape of `plan <file> --format json`: each pairing's checks as the single-pair report's. */
export const PlanReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }),
    plan: z.string().describe('the plan file as given'),
    startedAt: z.string().describe('ISO 8601'),
    durationMs: z.number(),
    pairings: z.array(
      z.object({
        local: z.object({ name: z.string(), address: z.string(), source: z.string().nullable() }),
        partner: z.object({ name: z.string(), address: z.string(), resolved: z.string().nullable().describe('the IPv4 address the run used') }),
        durationMs: z.number(),
        checks: ReportSchema.shape.checks,
        summary: counts,
        exitCode: z.number().int(),
      }),
    ).describe('in the order of the plan file'),
    summary: z.object({
      pairings: z.object({ total: z.number().int(), ok: z.number().int(), failed: z.number().int(), unknown: z.number().int() }),
      checks: counts,
    }),
    exitCode: z.number().int().describe("the worst pairing's"),
  })
  .describe('dhcp-failover-check plan report');
