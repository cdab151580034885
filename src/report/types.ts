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

/** One pairing's report: exactly the single-run `--format json` document (`schema report`). */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  partner: { input: string; address: string | null };
  local: { input: string | null; source: string | null };
  startedAt: string;
  durationMs: number;
  /** Before deploy (a server known from configuration only) or live (running servers answered). */
  phase: 'before-deploy' | 'live';
  /** In documented order; unselected checks appear as skip. */
  checks: CheckResult[];
  summary: Record<Status, number>;
  exitCode: number;
}

/** A pairing in the report tree: the servers as the plan names them, and their report. */
export interface PairingResult {
  local: { name: string; address: string };
  partner: { name: string; address: string };
  /** Exactly what `dhcp-failover-check <partner>` would report for this pairing. */
  report: Report;
}

export interface RunSummary {
  pairings: { total: number; ok: number; failed: number; unknown: number };
  checks: Record<Status, number>;
}

/**
 * The report of any run, a tree: pairings, each with its checks. A single run is a tree of one
 * pairing with `plan: null`, and every format renders that as the single-pair document.
 */
export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** The plan file as given; null for a single run. */
  plan: string | null;
  startedAt: string;
  durationMs: number;
  /** In the plan's order; pairings not started before an interrupt are left out. */
  pairings: PairingResult[];
  summary: RunSummary;
  exitCode: number;
}

export interface ReporterOptions {
  color: boolean;
  verbose: boolean;
  /** Terminal columns to wrap human text at (with a hanging indent); undefined: no wrapping. */
  width?: number;
}

/**
 * One output format, one module (vitest-style registry in report/index.ts): it renders the tree
 * and, where its consumers read exit codes their own way (nagios), owns that rule too.
 */
export interface ReportFormat {
  /** Loads what rendering with these options needs (human: chalk, only for colour); before render(). */
  prepare?(options: ReporterOptions): Promise<void>;
  render(report: RunReport, options: ReporterOptions): string;
  /** The process exit code for this report; default: the report's own. */
  exitCode?(report: RunReport): number;
  /** The exit code when no verdict could be given (bad invocation, report lost); default 2. */
  usageExitCode?: number;
  /** What stdout says when the invocation was bad (a monitoring plugin must still print a state). */
  usageLine?(message: string): string;
}

/** The single-run document: a tree of one pairing and no plan file. */
export function singlePairing(report: RunReport): Report | undefined {
  return report.plan === null && report.pairings.length === 1 ? report.pairings[0]!.report : undefined;
}
