import type { Context } from '../context.js';

export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** Free-form, JSON-serialisable facts that explain a verdict (what was measured, where from). */
export type Details = Record<string, unknown>;

export interface Outcome {
  status: Status;
  /** On fail: the exact documented message. Otherwise a short sentence of our own. */
  message: string;
  details: Details;
  /** What to do about it, shown by the human reporter. */
  fix?: string;
}

export interface Check {
  id: CheckId;
  title: string;
  run(ctx: Context): Promise<Outcome>;
}

export const CHECK_IDS = [
  'dns',
  'ip',
  'reachability',
  'version',
  'permissions',
  'relationships',
  'service',
  'time',
  'scopes',
  // Beyond the nine: from the same document's requirements table.
  'authorization',
  'peers',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

type Extra = { details?: Details; fix?: string };

export const pass = (message: string, extra: Extra = {}): Outcome => outcome('pass', message, extra);
export const warn = (message: string, extra: Extra = {}): Outcome => outcome('warn', message, extra);
export const fail = (message: string, extra: Extra = {}): Outcome => outcome('fail', message, extra);
export const unknown = (message: string, extra: Extra = {}): Outcome => outcome('unknown', message, extra);

function outcome(status: Status, message: string, { details = {}, fix }: Extra): Outcome {
  return fix === undefined ? { status, message, details } : { status, message, details, fix };
}
