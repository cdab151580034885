import { z } from 'zod';
import { CHECK_IDS, STATUSES } from '../checks/ids.js';
import type { Report } from './types.js';

/** The published shape of a single run's `--format json`; a compile-time check below keeps it equal to Report. */
export const ReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }),
    partner: z.object({ input: z.string(), address: z.string().nullable() }),
    local: z.object({ input: z.string().nullable(), source: z.string().nullable() }),
    startedAt: z.string().describe('ISO 8601'),
    durationMs: z.number(),
    phase: z
      .enum(['before-deploy', 'live'])
      .describe('before-deploy: a server is known from configuration only (READY TO DEPLOY); live: running servers answered'),
    checks: z.array(
      z.object({
        id: z.enum(CHECK_IDS),
        title: z.string(),
        status: z.enum(STATUSES),
        code: z
          .string()
          .regex(/^[a-z][a-z-]*\.[a-z0-9-]+$/)
          .describe('stable outcome code, `<check id>.<slug>`, e.g. time.skew-exceeded (README lists them)'),
        message: z.string().describe('on fail: the exact documented message'),
        details: z.record(z.string(), z.unknown()),
        fix: z.string().optional(),
        ignored: z.boolean().optional().describe('a failure reported as a warning because of --ignore'),
        durationMs: z.number(),
      }),
    ),
    summary: z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof STATUSES)[number], z.ZodNumber>),
    exitCode: z.number().int(),
  })
  .describe('dhcp-failover-check report');

const counts = z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof STATUSES)[number], z.ZodNumber>);

/** The published shape of `plan <file> --format json`: each pairing's checks as the single-pair report's. */
export const PlanReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }),
    plan: z.string().describe('the plan file as given'),
    startedAt: z.string().describe('ISO 8601'),
    durationMs: z.number(),
    pairings: z
      .array(
        z.object({
          local: z.object({ name: z.string(), address: z.string(), source: z.string().nullable() }),
          partner: z.object({ name: z.string(), address: z.string(), resolved: z.string().nullable().describe('the IPv4 address the run used') }),
          durationMs: z.number(),
          phase: ReportSchema.shape.phase,
          checks: ReportSchema.shape.checks,
          summary: counts,
          exitCode: z.number().int(),
        }),
      )
      .describe('in the order of the plan file'),
    summary: z.object({
      pairings: z.object({ total: z.number().int(), ok: z.number().int(), failed: z.number().int(), unknown: z.number().int() }),
      checks: counts,
    }),
    exitCode: z.number().int().describe("the worst pairing's"),
  })
  .describe('dhcp-failover-check plan report');

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof ReportSchema>['checks'][number]['status'], Report['checks'][number]['status']> = true;
void sameShape;
