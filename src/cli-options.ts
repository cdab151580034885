import { ALL_OPTIONS, attributeOf, flagNames, longFlag } from './options.js';

// The CLI's view of the one option table (options.ts): commander's program (cli-program.ts) and
// the plain-invocation reader below both read it.

export interface CliOption {
  /** As commander takes them: '-s, --scope <scopes>', '--ldap-insecure', '--no-color'. */
  flags: string;
  description: string;
  /** Repeatable: every value is kept, in order (commander's collect). */
  list?: true;
  choices?: readonly string[];
}

export const CLI_OPTIONS: readonly CliOption[] = ALL_OPTIONS.flatMap((o) =>
  o.flags === undefined
    ? []
    : [
        {
          flags: o.flags,
          description: o.description,
          ...(o.type === 'list' || o.type === 'checks' ? { list: true as const } : {}),
          ...(o.choices ? { choices: o.choices } : {}),
        },
      ],
);

/** The subcommands (cli-program.ts declares them): a word among the operands that names one is commander's to read. */
export const SUBCOMMANDS = ['schema', 'plan', 'migrate', 'collector', 'help'] as const;

/** What the command line said, however it was read. */
export interface CliArgs {
  /** commander's opts(): camelCase keys; lists for repeatable options; `color: false` for --no-color. */
  opts: Record<string, unknown>;
  partner?: string;
  /** --no-color was given (commander: getOptionValueSource('color') === 'cli'). */
  noColor: boolean;
}

interface Shape {
  key: string;
  value: boolean;
  negate: boolean;
  option: CliOption;
}

/** The flags of every option, '--long' and '-s', to their option (flagNames: plain string search). */
let byFlag: Map<string, CliOption> | undefined;
const shapes = new Map<CliOption, Shape>();

/**
 * How `flag` is read, or undefined for no such flag. Only the flags a command line uses are
 * parsed (the index of all of them is plain string work): a plain run's start-up is short.
 */
function shapeOf(flag: string): Shape | undefined {
  byFlag ??= flagIndex();
  const option = byFlag.get(flag);
  if (!option) return undefined;
  let shape = shapes.get(option);
  if (!shape) {
    if (!/^(?:-\w, )?--[\w-]+(?: <[^>]+>)?$/.test(option.flags)) throw new Error(`cli-options: cannot read flags ${option.flags}`);
    shape = { key: attributeOf(option)!, value: option.flags.includes('<'), negate: longFlag(option)!.startsWith('--no-'), option };
    shapes.set(option, shape);
  }
  return shape;
}

function flagIndex(): Map<string, CliOption> {
  const index = new Map<string, CliOption>();
  for (const option of CLI_OPTIONS) for (const flag of flagNames(option)) index.set(flag, option);
  return index;
}

/**
 * Reads the command line the way commander would, for the plain invocations that nearly every
 * run is: known options as `--name value`, `--name=value` or `-x value`, and at most one partner.
 * Anything else (help, --version, a subcommand, an unknown or malformed option, `--`, a value that
 * looks like an option, a second operand) is undefined, and commander reads it and words its
 * mistakes. Loading and building commander's program is a large share of a plain run's start-up;
 * test/unit/cli-options.test.ts holds this reader to commander's result wherever it answers.
 */
export function plainArgs(argv: readonly string[]): CliArgs | undefined {
  const opts: Record<string, unknown> = { color: true };
  let partner: string | undefined;
  let noColor = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-')) {
      if (partner !== undefined || (SUBCOMMANDS as readonly string[]).includes(token)) return undefined;
      partner = token;
      continue;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1; // '-' alone: no such flag, commander's
    const shape = shapeOf(eq === -1 ? token : token.slice(0, eq));
    if (!shape) return undefined;
    if (!shape.value) {
      if (eq !== -1) return undefined;
      if (shape.negate) noColor = true;
      opts[shape.key] = !shape.negate;
      continue;
    }
    let value: string;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = next;
      i++;
    }
    if (shape.option.choices && !shape.option.choices.includes(value)) return undefined;
    opts[shape.key] = shape.option.list ? [...((opts[shape.key] as string[] | undefined) ?? []), value] : value;
  }
  return { opts, ...(partner !== undefined ? { partner } : {}), noColor };
}
