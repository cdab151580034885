import type { CheckId, Status } from '../checks/ids.js';
import type { Details } from '../checks/types.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface CheckResult {
  id: CheckId;
  title: string;
  status: Status;
  /** Stable `<check>.<slug>` code for scripts (see the README's table). */
  code: string;
  message: string;
  details: Details;
  /** Lines for people (the human reporter); not part of the machine formats. */
  evidence?: string[];
  fix?: string;
  /** True when a failure was turned into a warning by --ignore. */
  ignored?: boolean;
  durationMs: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  partner: { input: string; address: string | null };
  local: { input: string | null; source: string | null };
  startedAt: string;
  durationMs: number;
  /** In documented order; unselected checks appear as skip. */
  checks: CheckResult[];
  summary: Record<Status, number>;
  exitCode: number;
}

export interface ReporterOptions {
  color: boolean;
  verbose: boolean;
  /** Terminal columns to wrap human text at (with a hanging indent); undefined: no wrapping. */
  width?: number;
}

/** One output format: a pure function of the report (vitest-style registry in report/index.ts). */
export type Reporter = (report: Report, options: ReporterOptions) => string;
