// Facts from the XML that `Export-DhcpServer -File x.xml -Leases:$false` writes. The export holds
// the server's configuration only: its version and scopes. Service state, the caller's rights,
// the time-skew limit and failover relationships are not in it, so they stay unknown.
//
// Why a purpose-built scanner (xml-stream.ts) rather than fast-xml-parser: building and validating
// a whole tree of a large export is slow (docs/performance.md), while we need six text fields per
// scope. The file is streamed in chunks and each scope
// becomes a ScopeFact as its element closes, so neither the text nor a tree is ever held whole.

import type { ScopeFact, ServerFacts } from '../facts.js';
import { parseIPv4 } from '../net/ipv4.js';
import { DEFAULT_INPUT_DEADLINE, type InputDeadline } from '../util/read-guarded.js';
import { feedText, streamTextFile } from './text-stream.js';
import { exclusionRangeOf, invalid, ipv4Of, scopeFactOf, scopeStateOf, versionOf, type RawExclusion } from './windows-common.js';
import { ExportScanner, ROOT, type Field, type Fields } from './xml-stream.js';

export async function loadWindowsExport(path: string, deadline: InputDeadline = DEFAULT_INPUT_DEADLINE): Promise<ServerFacts> {
  const reader = new ExportReader(path);
  await streamTextFile(path, reader.scanner, { purpose: 'export', ...deadline });
  return reader.facts();
}

/** Exposed for tests and benchmarks that already hold the text (whole, or as chunks). */
export function windowsExportFacts(file: string, text: string | Iterable<string>): ServerFacts {
  const reader = new ExportReader(file);
  feedText(reader.scanner, text);
  return reader.facts();
}

class ExportReader {
  readonly scanner: ExportScanner;
  private readonly scopes: ScopeFact[] = [];
  /**
   * The first bad scope, kept rather than thrown: a malformed or DTD-carrying document must be
   * reported as such even when a bad scope comes before the problem.
   */
  private failure: { error: unknown } | undefined;

  constructor(private readonly file: string) {
    this.scanner = new ExportScanner(file, (fields, index, exclusions) => {
      if (this.failure) return;
      try {
        const scope = scopeOf(file, index, fields);
        this.scopes.push(scope);
        for (let i = 0; i < exclusions.length; i++)
          (scope.exclusions ??= []).push(exclusionRangeOf(file, 'ExclusionRanges', scope, exclusionOf(file, index, i, exclusions[i]!, scope.network)));
      } catch (error) {
        this.failure = { error };
      }
    });
  }

  facts(): ServerFacts {
    const file = this.file;
    const facts: ServerFacts = {
      source: `windows-export:${file}`,
      platform: 'windows',
    };
    const { MajorVersion: major, MinorVersion: minor } = this.scanner.version;
    if (major !== undefined || minor !== undefined) {
      facts.version = versionOf(wholeNumber(file, `${ROOT}/MajorVersion`, major), minor === undefined ? 0 : wholeNumber(file, `${ROOT}/MinorVersion`, minor));
    }
    if (this.scanner.sawIPv4) {
      if (this.failure) throw this.failure.error;
      facts.scopes = this.scopes;
    }
    return facts;
  }
}

function wholeNumber(file: string, path: string, value: Field | undefined): number {
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  throw invalid(file, path, 'a whole number', value ?? undefined);
}

function scopeOf(file: string, index: number, fields: Fields): ScopeFact {
  const path = `${ROOT}/IPv4/Scopes/Scope[${index + 1}]`;
  const text = (key: string): string | undefined => {
    const value = fields[key];
    if (value === null) throw invalid(file, `${path}/${key}`, 'text', 'child elements');
    return value === '' ? undefined : value;
  };
  const start = text('StartRange');
  const end = text('EndRange');
  return scopeFactOf(
    file,
    path,
    {
      scopeId: ipv4Of(file, `${path}/ScopeId`, text('ScopeId')),
      mask: ipv4Of(file, `${path}/SubnetMask`, text('SubnetMask')),
      start: start === undefined ? undefined : ipv4Of(file, `${path}/StartRange`, start),
      end: end === undefined ? undefined : ipv4Of(file, `${path}/EndRange`, end),
      name: text('Name'),
      state: scopeStateOf(text('State')),
    },
    '/',
  );
}

function exclusionOf(file: string, index: number, i: number, fields: Fields, scopeId: number): RawExclusion {
  const path = () => `${ROOT}/IPv4/Scopes/Scope[${index + 1}]/ExclusionRanges/IPRange[${i + 1}]`;
  const address = (key: 'StartRange' | 'EndRange') => {
    const value = fields[key];
    const parsed = typeof value === 'string' ? parseIPv4(value) : undefined;
    if (parsed !== undefined) return parsed;
    throw invalid(file, `${path()}/${key}`, 'an IPv4 address', value ?? undefined);
  };
  return { path, scopeId, start: address('StartRange'), end: address('EndRange') };
}
