import type { CliArgs } from './cli-options.js';
import { ALL_OPTIONS, attributeOf, flagNames, flagOf, longFlag, type ConfigInput, type OptionSpec } from './options.js';
import { InputError } from './util/errors.js';

// Options from several places merged key by key, each value remembering where it came from, so an
// error names the flag, the config file and key, or the plan file and path that gave the value.

/** Where a value came from, as an error names it: `--timeout`, `cfg.yaml: timeout`, `plan.yaml: servers.hub.ntp`. */
export type Label = (key: string) => string;

/** Options and the label of each one's origin. */
export interface Merged {
  options: ConfigInput;
  label: Label;
}

type Bag = Record<string, unknown>;

function get(bag: Bag, key: string): unknown {
  const dot = key.indexOf('.');
  if (dot === -1) return bag[key];
  const inner = bag[key.slice(0, dot)];
  return inner && typeof inner === 'object' ? (inner as Bag)[key.slice(dot + 1)] : undefined;
}

function set(bag: Bag, key: string, value: unknown): void {
  const dot = key.indexOf('.');
  if (dot === -1) {
    bag[key] = value;
    return;
  }
  const head = key.slice(0, dot);
  bag[head] = { ...(bag[head] as Bag | undefined), [key.slice(dot + 1)]: value };
}

/** Every option key a bag sets (nested ones dotted), in table order. */
export function keysSet(bag: Bag): string[] {
  return ALL_OPTIONS.filter((o) => get(bag, o.key) !== undefined).map((o) => o.key);
}

/**
 * Layers, lowest first, merged key by key (nested keys too: `--kea-user` keeps the file's
 * `kea.passwordFile`). `--only` and `--skip` are one selection: a layer that sets either replaces
 * both of the layers below it.
 */
export function mergeLayers(layers: readonly { options: ConfigInput; label: Label }[]): Merged {
  const options: Bag = {};
  const origin = new Map<string, Label>();
  for (const layer of layers) {
    const keys = keysSet(layer.options as Bag);
    if (keys.includes('only') || keys.includes('skip')) {
      for (const k of ['only', 'skip']) {
        delete options[k];
        origin.delete(k);
      }
    }
    for (const key of keys) {
      set(options, key, get(layer.options as Bag, key));
      origin.set(key, layer.label);
    }
  }
  return { options: options as ConfigInput, label: (key) => (origin.get(key) ?? flagOf)(key) };
}

/** The command line's options as config keys: the flags of the one table, read back. */
export function fromCommandLine(args: CliArgs): ConfigInput {
  const out: Bag = {};
  for (const spec of ALL_OPTIONS) {
    const value = cliValue(spec, args);
    if (value !== undefined) set(out, spec.key, value);
  }
  if (args.partner !== undefined) out.partner = args.partner;
  return out as ConfigInput;
}

function cliValue(spec: OptionSpec, args: CliArgs): unknown {
  const attribute = attributeOf(spec);
  if (attribute === undefined || spec.cliOnly) return undefined;
  const v = args.opts[attribute];
  if (spec.type === 'boolean') {
    // commander's --no-color sets color to true by default: only the flag itself says false.
    if (longFlag(spec)!.startsWith('--no-')) return args.noColor ? false : undefined;
    return v === true ? true : undefined;
  }
  if (spec.type === 'list' || spec.type === 'checks') return Array.isArray(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (spec.type === 'port') {
    const n = Number(v);
    if (!/^\d{1,5}$/.test(v) || n < 1 || n > 65535) throw new InputError(`${longFlag(spec)}: "${v}" is not a TCP port (1-65535)`);
    return n;
  }
  return v;
}

/** A single-value option given twice would silently lose one of them. */
export function refuseRepeats(argv: readonly string[], extra: readonly OptionSpec[] = []): void {
  const single = new Map<string, string>();
  for (const spec of [...ALL_OPTIONS, ...extra]) {
    if (spec.flags === undefined || spec.type === 'list' || spec.type === 'checks' || spec.type === 'boolean') continue;
    for (const f of flagNames(spec)) single.set(f, longFlag(spec)!);
  }
  const seen = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const flag = single.get(eq === -1 ? token : token.slice(0, eq));
    if (flag === undefined) continue;
    const value = eq === -1 ? (argv[i + 1] ?? '') : token.slice(eq + 1);
    const before = seen.get(flag);
    if (before !== undefined) throw new InputError(`${flag}: given twice ("${before}" and "${value}"); give it once`);
    seen.set(flag, value);
    if (eq === -1) i++;
  }
}
