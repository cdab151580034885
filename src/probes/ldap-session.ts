import type { Client, Entry, SearchOptions } from 'ldapts';
import { isResultCodeError, scrub } from './ldap-errors.js';
import { values } from './ldap-parse.js';

// The read-only search primitives every directory question is built from. Every subtree search
// is paged and capped, so a filter that matches ten thousand entries costs a bounded amount.

/** More matches than this for one name means a useless answer anyway. */
export const MATCH_CAP = 50;
/** dhcpServers values kept; a forest with more authorized servers than this is not a real one. */
export const VALUE_CAP = 10_000;
const PAGE_SIZE = 200;

export class Session {
  readonly notes: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly password: string | undefined,
  ) {}

  note(text: string): void {
    this.notes.push(scrub(text, this.password));
  }

  /** The entry at `dn`, or undefined when it does not exist (32) or the filter excluded it. */
  async read(dn: string, attributes: string[], filter = '(objectClass=*)'): Promise<Entry | undefined> {
    try {
      const res = await this.client.search(dn, { scope: 'base', filter, attributes, sizeLimit: 1 });
      return res.searchEntries[0];
    } catch (err) {
      if (isResultCodeError(err) && err.code === 32) return undefined;
      throw err;
    }
  }

  /** Subtree search; at most `cap` entries, and `truncated` says whether more existed. */
  async find(base: string, filter: string, attributes: string[], cap = MATCH_CAP): Promise<{ entries: Entry[]; truncated: boolean }> {
    const options: SearchOptions = {
      scope: 'sub',
      filter,
      attributes,
      sizeLimit: cap + 1,
      paged: { pageSize: Math.min(PAGE_SIZE, cap + 1) },
    };
    const entries: Entry[] = [];
    const references: string[] = [];
    for await (const page of this.client.searchPaginated(base, options)) {
      entries.push(...page.searchEntries);
      references.push(...page.searchReferences);
      if (entries.length > cap) break;
      // References are never followed, so a page of nothing else brings nothing; a server that
      // keeps sending such pages with a "more" cookie would otherwise be paged until the deadline.
      if (page.searchEntries.length === 0) break;
    }
    if (entries.length === 0 && references.length > 0) {
      this.note(`search under ${base} answered only with references to other servers (not followed), e.g. ${references[0]}`);
    }
    return { entries: entries.slice(0, cap), truncated: entries.length > cap };
  }

  /**
   * Every value of a multi-valued attribute. AD hands out big ones in slices named
   * `attr;range=0-1499`, so follow the ranges until `*` or the cap.
   */
  async readAll(dn: string, attribute: string, cap = VALUE_CAP): Promise<string[] | undefined> {
    const entry = await this.read(dn, [attribute]);
    if (!entry) return undefined;
    const out = values(entry, attribute);
    let ranged = rangeOf(entry, attribute);
    while (ranged && out.length < cap) {
      out.push(...ranged.values);
      if (ranged.end === '*') break;
      const next = Number(ranged.end) + 1;
      const slice = await this.read(dn, [`${attribute};range=${next}-*`]);
      ranged = slice ? rangeOf(slice, attribute) : undefined;
    }
    if (out.length > cap) this.note(`${attribute} of ${dn}: only the first ${cap} values were read`);
    return out.slice(0, cap);
  }
}

function rangeOf(entry: Entry, attribute: string): { end: string; values: string[] } | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  const key = Object.keys(entry).find((k) => k.toLowerCase().startsWith(prefix));
  if (!key) return undefined;
  const end = /-(\d+|\*)$/.exec(key)?.[1] ?? '*';
  return { end, values: values(entry, key) };
}
