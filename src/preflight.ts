import { buildPlan } from './config.js';
import type { ConfigInput } from './config-schema.js';
import type { Report } from './report/types.js';
import { runPairing } from './run-pairing.js';
import { InputError } from './util/errors.js';

/** The config file's keys (camelCase, the same schema), plus what only a program can give. */
export interface PreflightOptions extends ConfigInput {
  /** Aborting it stops every probe; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The `--format json` document (its schema: `dhcp-failover-check schema report`). */
export type PreflightReport = Report;

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
  let plan;
  try {
    plan = await buildPlan(parsed.data, { env: process.env, stdoutIsTTY: false, label: (key) => key });
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`preflight: ${err.message}`);
    throw err;
  }
  signal?.throwIfAborted();
  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const report = await runPairing({ ...plan, color: false }, controller.signal);
    signal?.throwIfAborted();
    // Through JSON: exactly the document `--format json` prints, plain data a caller may keep.
    const { jsonReporter } = await import('./report/json.js');
    return JSON.parse(jsonReporter(report, { color: false, verbose: true })) as PreflightReport;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
