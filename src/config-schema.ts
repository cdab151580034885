import { z } from 'zod';
import { FORMATS } from './plan.js';
import { configShape, type ConfigInput, type OptionSpec, type OptionType } from './options.js';

export type { ConfigInput };

// The config file's schema, built from the one option table (options.ts): the published JSON
// Schema, the file's validation and preflight()'s types cannot drift apart.

const list = z.union([z.string(), z.array(z.string())]);
const duration = z.union([z.string(), z.number().positive().describe('seconds')]);

const ZOD: Record<OptionType, () => z.ZodType> = {
  string: () => z.string(),
  list: () => list,
  checks: () => list,
  boolean: () => z.boolean(),
  duration: () => duration,
  port: () => z.number().int().min(1).max(65535),
  format: () => z.enum(FORMATS),
};

export function optionSchema(o: OptionSpec): z.ZodType {
  const base = ZOD[o.type]().describe(o.description);
  return o.required ? base : base.optional();
}

function objectOf(options: readonly OptionSpec[], strip: (key: string) => string): Record<string, z.ZodType> {
  return Object.fromEntries(options.map((o) => [strip(o.key), optionSchema(o)]));
}

/** A strict object of the table's options that `keep` keeps (nested `kea`/`ldap` as objects). */
export function optionsObject(keep: (o: OptionSpec) => boolean, extra: Record<string, z.ZodType> = {}): z.ZodObject {
  const { top, nested } = configShape();
  const shape: Record<string, z.ZodType> = { ...extra, ...objectOf(top.filter(keep), (k) => k) };
  for (const [name, inner] of nested) {
    const kept = inner.filter(keep);
    if (kept.length > 0) shape[name] = z.strictObject(objectOf(kept, (k) => k.slice(name.length + 1))).optional();
  }
  return z.strictObject(shape);
}

/** The config file: every option of the table but the command line's own (`--config`). */
export const ConfigSchema = optionsObject(() => true, { $schema: z.string().optional() }).describe(
  'dhcp-failover-check configuration file',
) as unknown as z.ZodObject<Record<keyof ConfigInput & string, z.ZodType>, z.core.$strict> & z.ZodType<ConfigInput>;
