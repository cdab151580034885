import { InputError } from './errors.js';

/** The longest duration any option takes (README: Limits). */
export const MAX_DURATION_MS = 24 * 3_600_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** "60s", "1m", "1.5m", "500ms", "2h", or a bare number of seconds -> milliseconds (> 0). */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(text.trim());
  const unit = m ? UNITS[m[2] ?? 's'] : undefined;
  if (!m || unit === undefined) {
    throw new InputError(`${option}: invalid duration "${text}" (expected e.g. 500ms, 5s, 1m, 1.5m)`);
  }
  const ms = Number(m[1]) * unit;
  if (!Number.isFinite(ms)) throw new InputError(`${option}: duration "${text}" must be a finite number of seconds (at most 24h)`);
  if (!(ms > 0)) throw new InputError(`${option}: duration "${text}" must be greater than zero`);
  if (ms > MAX_DURATION_MS) throw new InputError(`${option}: duration "${text}" is longer than 24h`);
  return ms;
}
