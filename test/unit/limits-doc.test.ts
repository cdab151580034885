import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allLimitRows, BEGIN, DHCPD_PARSER_DEFAULTS, END, fileCapRows, limitsMarkdown, parserRows, YAML_MAX_ALIASES } from '../../src/limits-doc.js';
import { FILE_CAPS, sizeText } from '../../src/util/file-caps.js';
import { INCLUDE_BUDGET } from '../../src/util/include-budget.js';
import { MAX_NESTING } from '../../src/util/nesting.js';

// Issue 23, item 8: "The README's limits table lists every cap and what happens beyond it." The
// tables are written from the constants (src/limits-doc.ts, by the build); this holds the README
// to them, and fails on a cap declared in src/ that no row is written from.

const ROOT = (() => {
  for (let up = '../../'; up.length < 20; up += '../') {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, 'src', 'cli.ts')) && existsSync(join(dir, 'README.md'))) return dir;
  }
  throw new Error('the repository root was not found');
})();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A constant whose name says it bounds something: MAX_…, …_MAX, …_CAP(S), …LIMIT…, …BUDGET… */
const CAP_NAME = /^(?:MAX_[A-Z0-9_]+|[A-Z0-9_]+_MAX|[A-Z0-9_]*(?:CAPS?|LIMITS?|BUDGET)(?:_[A-Z0-9_]+)?|DEFAULT_MAX_[A-Z0-9_]+)$/;

/** Declared constants with such a name that are not caps on what the tool takes in, and why. */
const NOT_CAPS: Record<string, string> = {
  'util/pipe-reader.ts MAX_POLL_MS': 'the longest pause between two polls of a pipe, not a cap',
  'report/text.ts MAX_ITEMS': 'how many items of a list the human report shows before "… and N more": the JSON report has them all',
  'sources/windows-common.ts SHOW_MAX': 'how much of a bad value an error message quotes',
  'platforms/isc-dhcpd/index.ts MAX_OFFSET_SECONDS': "dhcpd's clock rule, a failover requirement judged by the time check (README: Time)",
  'platforms/kea/pair-rules.ts DEFAULT_MAX_RESPONSE_MS': "Kea's default, a value judged by the peers check",
  'platforms/kea/pair-rules.ts DEFAULT_MAX_ACK_MS': "Kea's default, a value judged by the peers check",
  'platforms/kea/pair-rules.ts DEFAULT_MAX_UNACKED': "Kea's default, a value judged by the peers check",
  'platforms/windows/index.ts MAX_RELATIONSHIPS': "Windows' own limit, judged by the relationships check",
  'sources/kea/config-file.ts INT64_MAX': "the range of an integer as kea-dhcp4 reads one: a value outside is Kea's own refusal",
  'platforms/windows/pairing.ts MAX_RELATIONSHIP_NAME': "Windows' own limit on a relationship name, judged by the peers check",
};

describe('README limits tables', () => {
  it('hold the tables the build writes from src/limits-doc.ts', () => {
    const start = README.indexOf(BEGIN);
    const end = README.indexOf(END);
    assert.ok(start !== -1 && end !== -1, 'the limits table markers');
    assert.equal(README.slice(start, end + END.length), limitsMarkdown());
  });

  it('list every file cap of FILE_CAPS, the nesting limit and the include budget, with their values', () => {
    const tables = README.slice(README.indexOf(BEGIN), README.indexOf(END));
    for (const [purpose, bytes] of Object.entries(FILE_CAPS)) {
      const row = fileCapRows().find((r) => r.from.includes(`FILE_CAPS.${purpose}`));
      assert.ok(row, `no row for FILE_CAPS.${purpose}`);
      assert.ok(tables.includes(`| ${row.what} | ${sizeText(bytes)}`), `the README's row for ${purpose} does not give ${sizeText(bytes)}`);
    }
    const parser = parserRows();
    assert.ok(parser.some((r) => r.from.includes('MAX_NESTING') && r.value === `${MAX_NESTING} levels`));
    assert.ok(parser.some((r) => r.from.includes('INCLUDE_BUDGET.bytes') && r.value === sizeText(INCLUDE_BUDGET.bytes)));
    assert.ok(parser.some((r) => r.from.includes('INCLUDE_BUDGET.files') && r.beyond.includes(`more than ${INCLUDE_BUDGET.files} files`)));
    for (const r of allLimitRows()) assert.ok(r.beyond.trim().length > 0, `${r.what}: says nothing of what happens beyond it`);
  });

  it('name every cap declared in src/ (or say why a constant of such a name is none)', () => {
    const covered = new Set(allLimitRows().flatMap((r) => r.from.map((f) => f.split('.')[0]!)));
    const missing: string[] = [];
    for (const f of files(SRC)) {
      const where = relative(SRC, f).split('\\').join('/');
      if (where === 'limits-doc.ts') continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/^(?:export )?const ([A-Z][A-Z0-9_]*)\b/gm)) {
        const name = m[1]!;
        if (!CAP_NAME.test(name) || covered.has(name) || NOT_CAPS[`${where} ${name}`]) continue;
        missing.push(`${where} ${name}`);
      }
    }
    assert.deepEqual(missing, [], 'caps declared in src/ that the README limits tables (src/limits-doc.ts) do not name');
    // And no stale exception: each still names a declaration.
    for (const key of Object.keys(NOT_CAPS)) {
      const [where, name] = key.split(' ');
      assert.match(readFileSync(join(SRC, where!), 'utf8'), new RegExp(`const ${name}\\b`), `NOT_CAPS names ${key}, which is gone`);
    }
  });

  /** Caps written inline as a number (an option's default, a library's bound), by file and key: the value the README gives. */
  const INLINE: Record<string, number> = {
    'sources/dhcpd/parse.ts maxIncludeDepth': DHCPD_PARSER_DEFAULTS.includeDepth,
    'sources/dhcpd/parse.ts maxTokens': DHCPD_PARSER_DEFAULTS.tokens,
    'util/document.ts maxAliasCount': YAML_MAX_ALIASES,
  };

  it("give the caps written inline (the dhcpd parser's defaults, the YAML alias bound) as the code has them, and no other", () => {
    const found: Record<string, number> = {};
    for (const f of files(SRC)) {
      const where = relative(SRC, f).split('\\').join('/');
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(max[A-Z]\w*|sizeLimit)\s*(?::|\?\?)\s*(?:opts\.\w+\s*\?\?\s*)?([\d_]+)\b/g)) {
        found[`${where} ${m[1]}`] = Number(m[2]!.replace(/_/g, ''));
      }
    }
    // sizeLimit: 1 is a lookup of one entry by its DN, not a cap.
    delete found['probes/ldap-session.ts sizeLimit'];
    assert.deepEqual(found, INLINE);
  });
});
