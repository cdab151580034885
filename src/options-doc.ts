import { ALL_OPTIONS, MIGRATE_COMMAND_OPTIONS, PLAN_COMMAND_OPTIONS, type OptionSpec } from './options.js';

// The README's option table, written from the one option table (scripts/readme.mjs puts it
// between the README's `options:begin`/`options:end` markers; a test holds the README to it).

export const BEGIN = '<!-- options:begin (written by the build from src/options.ts) -->';
export const END = '<!-- options:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function flagCell(o: OptionSpec): string {
  if (o.key === 'partner') return '`<partner>`';
  return `\`${o.flags}\``;
}

function configCell(o: OptionSpec): string {
  return o.cliOnly ? '—' : `\`${o.key}\``;
}

function planCell(o: OptionSpec): string {
  if (o.cliOnly) return o.key === 'concurrency' ? '`plan` only' : MIGRATE_COMMAND_OPTIONS.includes(o) ? '`migrate` only' : '—';
  if (o.scope === 'server') return `\`servers.<name>.${o.serverKey}\``;
  if (o.scope === 'pairing') return `\`pairings[].${o.key}\``;
  return `\`options.${o.key}\``;
}

function plain(text: string): string {
  // --help text names values in <angle brackets>; Markdown would swallow them as tags.
  return text.replace(/<([^>\s]+)>/g, '`<$1>`').replace(/``/g, '`');
}

export function optionsMarkdown(): string {
  const rows = [...ALL_OPTIONS, ...PLAN_COMMAND_OPTIONS, ...MIGRATE_COMMAND_OPTIONS].map(
    (o) =>
      `| ${flagCell(o)} | ${configCell(o)} | ${planCell(o)} | ${cell(plain(o.description))}${o.choices ? `; one of ${o.choices.map((c) => `\`${c}\``).join(', ')}` : ''}${o.details ? `. ${cell(o.details)}` : ''} |`,
  );
  return [BEGIN, '| option | config key | in a plan file | meaning |', '|---|---|---|---|', ...rows, END].join('\n');
}
