import type { Context } from '../context.js';
import type { CheckId, Status } from './ids.js';

/** Free-form, JSON-serialisable facts that explain a verdict (what was measured, where from). */
export type Details = Record<string, unknown>;

export interface Outcome {
  status: Status;
  /**
   * Stable across releases, for scripts: `<check id>.<slug>`, e.g. `time.skew-exceeded`. Every
   * code a check can give is declared in its `codes` (README lists them; a test holds both).
   */
  code: string;
  /** On fail: the exact documented message. Otherwise a short sentence of our own. */
  message: string;
  details: Details;
  /**
   * A few lines for people, in readable units, saying what the message does not ("the partner is
   * 90.0 s ahead, limit 60 s"); the human reporter shows them, `details` only with -v. An empty
   * list says the message is all a reader needs; without one, the reporter shows details instead.
   */
  evidence?: string[];
  /** What to do about it, shown by the human reporter. */
  fix?: string;
}

/** One prerequisite (kubeadm's Checker, ESLint's rule): meta, the codes it may give, one function. */
export interface Check {
  id: CheckId;
  title: string;
  /** Every code `run` can return, with the status it carries. */
  codes: Readonly<Record<string, Status>>;
  run(ctx: Context): Promise<Outcome>;
}

type Extra = { details?: Details; evidence?: string[]; fix?: string };
type Make<S extends string> = (slug: S, message: string, extra?: Extra) => Outcome;

/**
 * The outcome constructors of one check: a slug not declared for that status does not compile,
 * so the README's code table (derived from `codes`) cannot miss one.
 */
export function outcomes<const C extends Record<string, Status>>(id: CheckId, codes: C) {
  type Of<S extends Status> = { [K in keyof C]: C[K] extends S ? K : never }[keyof C] & string;
  const make =
    <S extends Status>(status: S): Make<Of<S>> =>
    (slug, message, { details = {}, evidence, fix } = {}) => {
      const code = `${id}.${slug}`;
      return { status, code, message, details, ...(evidence ? { evidence } : {}), ...(fix === undefined ? {} : { fix }) };
    };
  return {
    codes,
    pass: make('pass'),
    warn: make('warn'),
    fail: make('fail'),
    skip: make('skip'),
    unknown: make('unknown'),
  };
}

/** Codes the runner gives any check: not selected, or a check that threw or hung (a bug). */
export const RUNNER_CODES = { 'not-selected': 'skip', undetermined: 'unknown' } as const satisfies Record<string, Status>;
