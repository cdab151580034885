import { MAX_CONCURRENCY } from './plan-file/prepare.js';
import { MAX_PAIRINGS } from './plan-file/schema.js';
import { MATCH_CAP, VALUE_CAP } from './probes/ldap-session.js';
import { DEFAULT_MAX_MESSAGE_BYTES, MAX_AUTH_LEN } from './probes/omapi.js';
import { MAX_HEADER_SIZE } from './probes/omapi-wire.js';
import { MAX_REPLY_LEN } from './probes/smb2.js';
import { MAX_PACKET_LEN } from './probes/sntp.js';
import { MAX_OUTPUT } from './sources/dhcpd/judge.js';
import { MAX_TOKEN_BYTES } from './sources/dhcpd/lexer.js';
import { MAX_REPLY_BYTES } from './sources/kea/client.js';
import { MAX_INCLUDE_DEPTH } from './sources/kea/config-file.js';
import { STDERR_CAP, STDOUT_CAP } from './sources/windows-live.js';
import { MAX_DURATION_MS } from './util/duration.js';
import { FILE_CAPS, sizeText, YAML_MAX_BYTES, type FilePurpose } from './util/file-caps.js';
import { INCLUDE_BUDGET } from './util/include-budget.js';
import { MAX_NESTING } from './util/nesting.js';
import { MAX_LINE } from './util/one-line.js';

// The README's limits tables, written from the constants the code enforces (scripts/readme.mjs
// puts them between the README's `limits:begin`/`limits:end` markers; test/unit/limits-doc.test.ts
// holds the README to them, and fails on a cap declared in src/ that no row names).

export const BEGIN = '<!-- limits:begin (written by the build from src/limits-doc.ts) -->';
export const END = '<!-- limits:end -->';

/**
 * The dhcpd parser's own defaults (src/sources/dhcpd/parse.ts does not export them); the test
 * holds these to the parser's source.
 */
export const DHCPD_PARSER_DEFAULTS = { includeDepth: 16, tokens: 4_000_000 } as const;

/** The YAML reader's alias bound (src/util/document.ts passes it inline); the test holds it to that source. */
export const YAML_MAX_ALIASES = 100;

/** One limit: what it bounds, its value, what happens beyond it, and the constants it comes from. */
export interface LimitRow {
  what: string;
  value: string;
  beyond: string;
  /** Names of the constants in src/ the row is written from (the test matches declarations to them). */
  from: string[];
}

/** What each file cap covers: a purpose added to FILE_CAPS without a line here does not compile. */
const FILE_CAP_FILES: Record<FilePurpose, string> = {
  secret: "`--kea-password-file`, `--ldap-password-file`, `--omapi-key-file`, `--kea-ca`, `--ldap-ca`, a Kea HA peer's TLS files",
  config: '`--config`, plan files',
  'server-config': '`dhcpd:`, `kea-config:`, each of their includes; `migrate` inputs',
  inventory: '`inventory:` in JSON (streamed)',
  'inventory-yaml': '`inventory:` in YAML, or JSON read from a pipe (parsed whole)',
  export: '`windows-json:`, `windows-export:` (streamed)',
};

const n = (x: number) => x.toLocaleString('en-US');
const FILE_BEYOND = 'exit 2: `<file>: <size> is larger than the <cap> limit` (a regular file unread, a pipe once more has arrived)';

export function fileCapRows(): LimitRow[] {
  return [
    ...(Object.keys(FILE_CAPS) as FilePurpose[]).map((purpose) => ({
      what: FILE_CAP_FILES[purpose],
      value: sizeText(FILE_CAPS[purpose]) + (purpose === 'server-config' ? ` (all includes together: ${sizeText(INCLUDE_BUDGET.bytes)}, below)` : ''),
      beyond: FILE_BEYOND,
      from: [`FILE_CAPS.${purpose}`],
    })),
    {
      what: '`--config` and plan files written as YAML (JSON is read up to the cap above)',
      value: sizeText(YAML_MAX_BYTES),
      beyond: 'exit 2: `a YAML document of <size> is more than the <cap> read as YAML (write it as JSON, ...)`',
      from: ['YAML_MAX_BYTES'],
    },
  ];
}

export function parserRows(): LimitRow[] {
  return [
    {
      what: "nesting, every format (JSON, YAML, XML, Kea's JSON with comments, dhcpd.conf blocks)",
      value: `${MAX_NESTING} levels`,
      beyond: `exit 2: \`nested deeper than ${MAX_NESTING} levels at line L\` (YAML counts each flow bracket, each deeper indentation and each \`-\`/\`?\` on a line)`,
      from: ['MAX_NESTING'],
    },
    {
      what: 'YAML aliases expanded (config, plan and inventory files), against "billion laughs"',
      value: `${YAML_MAX_ALIASES} per document`,
      beyond: 'exit 2: `not valid JSON or YAML (Excessive alias count indicates a resource exhaustion attack)`',
      from: ['YAML_MAX_ALIASES'],
    },
    {
      what: '`kea-config:` and `dhcpd:` with their includes, per source: bytes read, each inclusion counted again',
      value: sizeText(INCLUDE_BUDGET.bytes),
      beyond: `exit 2: \`the configuration with its includes is larger than ${sizeText(INCLUDE_BUDGET.bytes)} (include chain: a -> b -> c)\``,
      from: ['INCLUDE_BUDGET.bytes'],
    },
    {
      what: 'inclusions per source, the same file counted each time',
      value: n(INCLUDE_BUDGET.files),
      beyond: `exit 2: \`more than ${INCLUDE_BUDGET.files} files included (include chain: …)\``,
      from: ['INCLUDE_BUDGET.files'],
    },
    {
      what: 'include depth',
      value: `Kea ${MAX_INCLUDE_DEPTH} (as kea-dhcp4), dhcpd ${DHCPD_PARSER_DEFAULTS.includeDepth}`,
      beyond: `exit 2: \`too many nested includes\` / \`includes nested deeper than ${DHCPD_PARSER_DEFAULTS.includeDepth}\``,
      from: ['MAX_INCLUDE_DEPTH', 'DHCPD_PARSER_DEFAULTS.includeDepth'],
    },
    {
      what: 'dhcpd.conf tokens, all files together',
      value: n(DHCPD_PARSER_DEFAULTS.tokens),
      beyond: `exit 2: \`more than ${DHCPD_PARSER_DEFAULTS.tokens} tokens\``,
      from: ['DHCPD_PARSER_DEFAULTS.tokens'],
    },
    {
      what: 'dhcpd.conf token or string',
      value: `${MAX_TOKEN_BYTES} bytes (dhcpd's own buffer)`,
      beyond: `exit 2: \`string longer than ${MAX_TOKEN_BYTES} bytes\``,
      from: ['MAX_TOKEN_BYTES'],
    },
  ];
}

export function liveRows(): LimitRow[] {
  return [
    {
      what: "a Kea agent's reply (`kea:`), each command",
      value: sizeText(MAX_REPLY_BYTES),
      beyond: `the reply is cut off there (a declared length over it is refused from the header): the source fails, each check that needs its facts is unknown naming \`reply exceeds the ${MAX_REPLY_BYTES}-byte cap\``,
      from: ['MAX_REPLY_BYTES'],
    },
    {
      what: 'an SMB2 NEGOTIATE reply (the clock of a Windows server)',
      value: sizeText(MAX_REPLY_LEN),
      beyond: `refused unread (\`reply announces N bytes (more than ${MAX_REPLY_LEN})\`): that clock is not read`,
      from: ['MAX_REPLY_LEN'],
    },
    {
      what: 'an NTP reply',
      value: `${MAX_PACKET_LEN} bytes`,
      beyond: `ignored, and counted in the reason when no good reply came (\`longer than ${MAX_PACKET_LEN} bytes\`)`,
      from: ['MAX_PACKET_LEN'],
    },
    {
      what: 'an OMAPI message from dhcpd (its header; its signature)',
      value: `${sizeText(DEFAULT_MAX_MESSAGE_BYTES)} (header ${MAX_HEADER_SIZE} bytes; signature ${MAX_AUTH_LEN} bytes)`,
      beyond: `refused (\`message longer than ${DEFAULT_MAX_MESSAGE_BYTES} bytes\`, \`not an OMAPI server: header size N\`): the live state stays unknown, a note says why`,
      from: ['DEFAULT_MAX_MESSAGE_BYTES', 'MAX_HEADER_SIZE', 'MAX_AUTH_LEN'],
    },
    {
      what: '`--ldap`: entries read per search (a user, a group, a computer by name)',
      value: n(MATCH_CAP),
      beyond: `the search stops: a name that matches more than one entry is ambiguous (\`matches ${MATCH_CAP} or more entries; name it by DN\`)`,
      from: ['MATCH_CAP'],
    },
    {
      what: '`--ldap`: values read of one attribute (the authorized servers in `CN=DhcpRoot`)',
      value: n(VALUE_CAP),
      beyond: `the first ${VALUE_CAP} are judged, a note says \`only the first ${VALUE_CAP} values were read\``,
      from: ['VALUE_CAP'],
    },
    {
      what: "`windows:` the collector's output (its stderr)",
      value: `${sizeText(STDOUT_CAP)} (stderr ${sizeText(STDERR_CAP)})`,
      beyond: `the collector is stopped, the source fails (\`the collector wrote more than ${sizeText(STDOUT_CAP)}\`); stderr beyond its cap is dropped`,
      from: ['STDOUT_CAP', 'STDERR_CAP'],
    },
    {
      what: '`dhcpd:` the output of `dhcpd -t`',
      value: sizeText(MAX_OUTPUT),
      beyond: 'dhcpd is stopped, a note says it could not be run; the configuration is judged without its verdict',
      from: ['MAX_OUTPUT'],
    },
    {
      what: "a line of outside text in a message on stderr (an error, a server's words)",
      value: `${MAX_LINE} characters`,
      beyond: 'its longest quoted value is cut in the middle (`…(N characters cut)…`), else the line ends in `…`',
      from: ['MAX_LINE'],
    },
  ];
}

export function runRows(): LimitRow[] {
  return [
    {
      what: 'pairings in a plan file',
      value: n(MAX_PAIRINGS),
      beyond: 'exit 2: the plan file is refused, naming `pairings`',
      from: ['MAX_PAIRINGS'],
    },
    {
      what: '`--concurrency` (pairings worked on at once)',
      value: n(MAX_CONCURRENCY),
      beyond: `exit 2: \`--concurrency: "N" is not a whole number from 1 to ${MAX_CONCURRENCY}\``,
      from: ['MAX_CONCURRENCY'],
    },
    {
      what: 'a duration (`--timeout`, `--max-time-skew`)',
      value: `${MAX_DURATION_MS / 3_600_000} h`,
      beyond: `exit 2: \`duration "…" is longer than ${MAX_DURATION_MS / 3_600_000}h\``,
      from: ['MAX_DURATION_MS'],
    },
  ];
}

/** Every row of every table: what the test matches declarations against. */
export function allLimitRows(): LimitRow[] {
  return [...fileCapRows(), ...parserRows(), ...liveRows(), ...runRows()];
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head: [string, string, string], rows: LimitRow[]) => [
  `| ${head.join(' | ')} |`,
  '|---|---|---|',
  ...rows.map((r) => `| ${cell(r.what)} | ${cell(r.value)} | ${cell(r.beyond)} |`),
];

export function limitsMarkdown(): string {
  return [
    BEGIN,
    ...table(['file', 'cap', 'beyond it'], fileCapRows()),
    '',
    'What each parser bounds, and what happens beyond it (one line naming the file):',
    '',
    ...table(['limit', 'value', 'beyond it'], parserRows()),
    '',
    'What is read from servers, the directory and child processes; a source that goes beyond a cap fails as any unreadable source does (its checks unknown, naming it; see *The checks*):',
    '',
    ...table(['limit', 'value', 'beyond it'], liveRows()),
    '',
    'What a run takes on:',
    '',
    ...table(['limit', 'value', 'beyond it'], runRows()),
    END,
  ].join('\n');
}
