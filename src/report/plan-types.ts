import type { Status } from '../checks/ids.js';
import type { Report, ReporterOptions } from './types.js';

// The report of a plan file: one single-pair Report per pairing, in file order, and the batch's verdict.

export interface PlanPairingResult {
  local: { name: string; address: string };
  partner: { name: string; address: string };
  /** Exactly what `dhcp-failover-check <partner>` would report for this pairing. */
  report: Report;
}

export interface PlanSummary {
  pairings: { total: number; ok: number; failed: number; unknown: number };
  checks: Record<Status, number>;
}

export interface PlanReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  /** The plan file as given. */
  plan: string;
  startedAt: string;
  durationMs: number;
  pairings: PlanPairingResult[];
  summary: PlanSummary;
  exitCode: number;
}

export type PlanReporter = (report: PlanReport, options: ReporterOptions) => string | Promise<string>;
