import { setMaxListeners } from 'node:events';
import { buildPlan } from './config.js';
import type { ConfigInput } from './config-schema.js';
import { planOfOne, type ResolvedOptions } from './plan.js';
import type { CheckResult, Report } from './report/types.js';
import { runPlan } from './run.js';
import { InputError } from './util/errors.js';

/**
 * The config file's keys (camelCase, the same schema), plus what only a program can give. No
 * `output` or `format`: the report is returned, not rendered (`output` is refused at run time).
 */
export interface PreflightOptions extends Omit<ConfigInput, 'partner' | 'output' | 'format'> {
  /** DNS name or IPv4 address of the failover partner. */
  partner: string;
  /**
   * Aborting it stops every probe; the promise then rejects with the signal's reason (for
   * `controller.abort()` a DOMException named AbortError, for `AbortSignal.timeout()` TimeoutError).
   */
  signal?: AbortSignal;
}

/** One check as `--format json` has it: the human format's `evidence` lines are not in it. */
export type PreflightCheckResult = Omit<CheckResult, 'evidence'>;

/** The `--format json` document (its schema: `dhcp-failover-check schema report`). */
export type PreflightReport = Omit<Report, 'checks'> & { checks: PreflightCheckResult[] };

// Keys that only shape what the CLI prints or writes: the library returns the report instead.
const CLI_ONLY = ['output'] as const;

/**
 * Runs the preflight checks and resolves to the JSON report object. It never prints and never
 * exits the process; bad options reject with an InputError naming the key and value. Relative
 * paths are taken from the working directory; KEA_PASSWORD / LDAP_PASSWORD are read from the
 * environment as the CLI does.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightReport> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError(`preflight: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const { signal, ...config } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InputError('preflight: signal: not an AbortSignal');
  for (const key of CLI_ONLY) {
    if (key in config) throw new InputError(`preflight: ${key}: not used by preflight(); render the returned report yourself`);
  }
  // zod loads only here and for config files, not for a plain CLI run.
  const [{ ConfigSchema }, { zodIssue }] = await Promise.all([import('./config-schema.js'), import('./util/document.js')]);
  const parsed = ConfigSchema.safeParse(config, { reportInput: true });
  if (!parsed.success) throw new InputError(`preflight: ${zodIssue(parsed.error, ConfigSchema)}`);
  let plan: ResolvedOptions;
  try {
    plan = await buildPlan(parsed.data, { env: process.env, stdoutIsTTY: false, label: (key) => key });
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`preflight: ${err.message}`);
    throw err;
  }
  signal?.throwIfAborted();
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const report = await runPlan(planOfOne({ ...plan, color: false }), controller.signal);
    signal?.throwIfAborted();
    // Exactly the document `--format json` prints, as plain data a caller may keep.
    const { document, toJsonValue } = await import('./report/json.js');
    return toJsonValue(document(report)) as unknown as PreflightReport;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
