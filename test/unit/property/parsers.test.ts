// Property tests (fast-check) for the pure parsers: durations, CLI/config values, IPv4 masks and
// classes, the directory helpers and Kea's version/URL parsing: they span layers, hence
// test/unit/property/. Sources and probes that need files or sockets have theirs beside their
// tests: sources/property.test.ts, sources/kea/property.test.ts, probes/property.test.ts.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { buildPlan, parseEndpoint, parseSourceSpec, readConfigFile } from '../../../src/config.js';
import type { ConfigInput } from '../../../src/config-schema.js';
import { CHECK_IDS } from '../../../src/checks/ids.js';
import { FORMATS } from '../../../src/plan.js';
import { classifyIPv4, formatIPv4, looksLikeIPv4, maskToPrefix, parseIPv4, prefixToMask, type AddressClass } from '../../../src/net/ipv4.js';
import { parseDuration } from '../../../src/util/duration.js';
import { escapeFilterValue, parseDhcpServers, parseOsVersion } from '../../../src/probes/ldap-parse.js';
import { agentUrl } from '../../../src/sources/kea/client.js';
import { parseVersion } from '../../../src/sources/kea/source.js';
import { assertNames, inputOr, inputOrAsync, numRuns, tempFiles, warningsDuring } from '../../helpers/property-files.js';

const DAY_MS = 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, '': 1000 };

/** Strings that are mostly near the grammar under test, sometimes anything at all. */
const fuzz = (alphabet: string, maxLength = 24) =>
  fc.oneof(fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ maxLength }));

describe('parseDuration', () => {
  it('valid forms give the right number of milliseconds (or the documented limits refuse them)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
        fc.constantFrom('ms', 's', 'm', 'min', 'h', ''),
        fc.constantFrom('', ' ', '  ', '\t'),
        fc.constantFrom('', ' ', '\n'),
        (whole, frac, unit, gap, pad) => {
          const number = frac === undefined ? String(whole) : `${whole}.${String(frac).padStart(3, '0')}`;
          const text = `${pad}${number}${unit === '' ? '' : gap}${unit}${pad}`;
          // Thousandths avoid float noise in the oracle: (whole*1000 + frac) units of 1/1000.
          const expected = ((whole * 1000 + (frac ?? 0)) * UNIT_MS[unit]!) / 1000;
          const r = inputOr(() => parseDuration(text, '--timeout'));
          if (expected > 0 && expected <= DAY_MS) {
            assert.ok(r.ok, `"${text}" is valid`);
            assert.ok(Math.abs(r.value - expected) <= expected * 1e-12, `"${text}" -> ${r.value}, expected ${expected}`);
          } else {
            assert.ok(!r.ok, `"${text}" = ${expected} ms is out of range`);
            assertNames(r.error, '--timeout');
          }
        },
      ),
      { numRuns },
    );
  });

  it('any string parses to a positive finite duration of at most 24h, or an InputError naming the option', () => {
    fc.assert(
      fc.property(fuzz('0123456789.msinh \t-+eE', 16), (text) => {
        const r = inputOr(() => parseDuration(text, '--max-time-skew'));
        if (r.ok) {
          assert.ok(r.value > 0 && Number.isFinite(r.value) && r.value <= DAY_MS, `${text} -> ${r.value}`);
          assert.match(text.trim(), /^\d/, 'only a number (not a sign or exponent) starts a duration');
        } else {
          assertNames(r.error, '--max-time-skew');
          assert.ok(r.error.message.includes(text), 'the message quotes the input');
        }
      }),
      { numRuns },
    );
  });
});

const SOURCE_KINDS = ['windows-json', 'windows-export', 'inventory'] as const;
/** Characters a path may hold here: anything but line terminators (the spec is one line). */
const pathText = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\n\r\u2028\u2029]/.test(s));

describe('parseSourceSpec', () => {
  it('file sources keep kind and path exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SOURCE_KINDS), pathText, (kind, path) => {
        assert.deepEqual(parseSourceSpec(`${kind}:${path}`, '--partner-source'), { kind, path });
      }),
      { numRuns },
    );
  });

  it('kea URLs are normalised with the WHATWG parser; credentials and other schemes are refused', () => {
    fc.assert(
      fc.property(
        fc.webUrl({
          validSchemes: ['http', 'https', 'ftp'],
          withQueryParameters: true,
          withFragments: true,
          authoritySettings: { withUserInfo: true, withPort: true },
        }),
        (url) => {
          const r = inputOr(() => parseSourceSpec(`kea:${url}`, '--local-source'));
          const u = new URL(url);
          if (u.protocol === 'ftp:' || u.username || u.password) {
            assert.ok(!r.ok, `${url} is refused`);
            assertNames(r.error, '--local-source');
          } else {
            assert.ok(r.ok, `${url} is accepted`);
            assert.deepEqual(r.value, { kind: 'kea', url: u.href });
          }
        },
      ),
      { numRuns },
    );
  });

  it('any string is a SourceSpec whose kind and text come from the input, or an InputError naming the option', () => {
    const spec = fc.oneof(
      fc.tuple(fc.constantFrom(...SOURCE_KINDS, 'kea', 'windows', 'kea-', 'KEA', ''), fc.string({ maxLength: 30 })).map(([k, rest]) => `${k}:${rest}`),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(spec, (text) => {
        const r = inputOr(() => parseSourceSpec(text, '--partner-source'));
        if (!r.ok) return assertNames(r.error, '--partner-source');
        assert.ok(text.startsWith(`${r.value.kind}:`));
        if (r.value.kind === 'kea') assert.match(r.value.url, /^https?:\/\/[^@]*$/);
        else if (r.value.kind === 'windows') assert.equal(`windows:${r.value.host}`, text);
        else assert.equal(`${r.value.kind}:${r.value.path}`, text);
      }),
      { numRuns },
    );
  });
});

describe('parseEndpoint', () => {
  const host = fc.oneof(fc.ipV4(), fc.domain(), fc.stringMatching(/^[a-z0-9-]{1,20}$/));
  it('host[:port] round-trips; a missing port is the default', () => {
    fc.assert(
      fc.property(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.integer({ min: 1, max: 65535 }), (h, port, dflt) => {
        const text = port === undefined ? h : `${h}:${port}`;
        assert.deepEqual(parseEndpoint(text, '--partner-ntp', dflt), { host: h, port: port ?? dflt });
      }),
      { numRuns },
    );
  });

  it('any string is a valid Endpoint taken from the input, or an InputError naming the option', () => {
    fc.assert(
      fc.property(fuzz('0123456789.:abc- ', 24), (text) => {
        const r = inputOr(() => parseEndpoint(text, '--local-ntp', 123));
        if (!r.ok) return assertNames(r.error, '--local-ntp');
        const { host: h, port } = r.value;
        assert.ok(Number.isInteger(port) && port >= 1 && port <= 65535, `port ${port}`);
        assert.ok(h.length > 0 && !/[:\s]/.test(h), `host ${JSON.stringify(h)}`);
        assert.ok(text === h || text === `${h}:${text.slice(h.length + 1)}`, 'host is the text before the port');
        if (text !== h) assert.equal(Number(text.slice(h.length + 1)), port);
        if (looksLikeIPv4(h)) assert.notEqual(parseIPv4(h), undefined, `${h} is a valid IPv4 address`);
      }),
      { numRuns },
    );
  });
});

describe('buildPlan', () => {
  const env = { env: {}, stdoutIsTTY: false };
  const idList = fc.oneof(
    fc.array(fc.constantFrom(...CHECK_IDS, 'dns ', ' time', 'nope', '', 'DNS'), { maxLength: 4 }).map((xs) => xs.join(',')),
    fc.array(fc.constantFrom(...CHECK_IDS, 'bogus', ''), { maxLength: 4 }),
  );
  const scopeText = fc.oneof(
    fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 33 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`)),
    fc.string({ maxLength: 12 }),
  );
  const input = fc.record(
    {
      partner: fc.oneof(fc.ipV4(), fc.domain(), fc.string({ unit: 'binary', maxLength: 30 })),
      scopes: fc.oneof(
        fc.array(scopeText, { maxLength: 4 }),
        fc.array(scopeText, { maxLength: 4 }).map((xs) => xs.join(',')),
      ),
      only: idList,
      skip: idList,
      ignore: idList,
      local: fc.oneof(fc.ipV4(), fc.constantFrom('1.2.3', '300.1.1.1', 'dhcp1')),
      localNtp: fuzz('0123456789.:', 12),
      partnerSource: fc.oneof(fc.constantFrom('inventory:p.yaml', 'kea:http://127.0.0.1:8000/', 'kea:ftp://x'), fc.string({ maxLength: 12 })),
      timeout: fc.oneof(fc.constantFrom('5s', '0s', '2m', '25h', 'x'), fc.double({ noNaN: false })),
      maxTimeSkew: fc.oneof(fc.constantFrom('60s', '1.5m', '-1s'), fc.double()),
      failoverPort: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.double()),
      format: fc.constantFrom(...FORMATS, 'xml'),
      output: fc.array(fc.constantFrom('json=out.json', 'tap=t', 'xml=x', 'json', '=x'), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<ConfigInput>;

  it('arbitrary partners, scope lists and check-id lists give a consistent Plan or an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (c) => {
        const r = await inputOrAsync(() => buildPlan(c, env));
        if (!r.ok) return;
        const p = r.value;
        assert.equal(p.partner, c.partner);
        assert.ok(!/[\s/\\]/.test(p.partner) && p.partner.length <= 253);
        assert.ok(p.checks.length > 0);
        assert.deepEqual(
          p.checks,
          CHECK_IDS.filter((id) => p.checks.includes(id)),
          'documented order, no duplicates',
        );
        const listed = (v: string | string[] | undefined) =>
          v === undefined
            ? undefined
            : [v]
                .flat()
                .flatMap((x) => x.split(','))
                .map((x) => x.trim())
                .filter(Boolean);
        const only = listed(c.only);
        const skip = listed(c.skip);
        assert.ok(!(only && skip), 'never both --only and --skip');
        if (only) assert.deepEqual(new Set(p.checks), new Set(only));
        if (skip) for (const id of skip) assert.ok(!p.checks.includes(id as never));
        for (const id of p.ignore) assert.ok((CHECK_IDS as readonly string[]).includes(id));
        if (c.scopes !== undefined) {
          assert.ok(p.scopes && p.scopes.length > 0);
          for (const s of p.scopes) {
            assert.ok(Number.isInteger(s.network) && s.network >= 0 && s.network <= 0xffffffff);
            if (s.prefix !== undefined) assert.equal((s.network & ~prefixToMask(s.prefix)) >>> 0, 0);
          }
        }
        assert.ok(p.timeoutMs > 0 && Number.isFinite(p.timeoutMs), `timeout ${p.timeoutMs}`);
        assert.ok(p.maxTimeSkewSeconds > 0 && Number.isFinite(p.maxTimeSkewSeconds), `skew ${p.maxTimeSkewSeconds}`);
        if (p.failoverPort !== undefined) assert.ok(Number.isInteger(p.failoverPort) && p.failoverPort >= 1 && p.failoverPort <= 65535);
        assert.ok((FORMATS as readonly string[]).includes(p.format));
        for (const o of p.outputs) assert.ok((FORMATS as readonly string[]).includes(o.format));
        if (p.local !== undefined && looksLikeIPv4(p.local)) assert.notEqual(parseIPv4(p.local), undefined);
      }),
      { numRuns },
    );
  });
});

describe('readConfigFile', () => {
  const files = tempFiles('config');
  after(() => files.remove());

  const rel = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/);
  const validConfig = fc.record(
    {
      partner: fc.oneof(fc.ipV4(), fc.domain()),
      scopes: fc.oneof(fc.ipV4(), fc.array(fc.ipV4(), { maxLength: 3 })),
      partnerSource: fc.tuple(fc.constantFrom(...SOURCE_KINDS), rel).map(([k, p]) => `${k}:${p}`),
      localSource: fc.constant('kea:http://127.0.0.1:8000/'),
      maxTimeSkew: fc.oneof(fc.constantFrom('60s', '1m', '500ms'), fc.integer({ min: 1, max: 3600 })),
      failoverPort: fc.integer({ min: 1, max: 65535 }),
      only: fc.subarray([...CHECK_IDS], { minLength: 1 }),
      format: fc.constantFrom(...FORMATS),
      output: fc.tuple(fc.constantFrom(...FORMATS), rel).map(([f, p]) => `${f}=${p}`),
      quiet: fc.boolean(),
      kea: fc.record({ user: fc.constantFrom('admin', 'ro'), ca: rel }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
  const asText = (doc: unknown, yaml: boolean) => (yaml ? toYaml(doc) : JSON.stringify(doc));

  it('valid configs (JSON or YAML) read back as written, with file paths made relative to the config', async () => {
    await fc.assert(
      fc.asyncProperty(validConfig, fc.boolean(), async (doc, yaml) => {
        const path = files.file(yaml ? 'c.yaml' : 'c.json', asText(doc, yaml));
        const r = await inputOrAsync(() => readConfigFile(path));
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        const c = r.value;
        assert.equal(c.partner, doc.partner);
        assert.deepEqual(c.scopes, doc.scopes);
        assert.deepEqual(c.only, doc.only);
        assert.equal(c.maxTimeSkew, doc.maxTimeSkew);
        assert.equal(c.failoverPort, doc.failoverPort);
        if (doc.partnerSource) {
          const [kind, p] = doc.partnerSource.split(':') as [string, string];
          assert.equal(c.partnerSource, `${kind}:${resolve(files.dir, p)}`);
        }
        assert.equal(c.localSource, doc.localSource);
        if (doc.output) {
          const [f, p] = doc.output.split('=') as [string, string];
          assert.deepEqual(c.output, [`${f}=${resolve(files.dir, p)}`]);
        }
        if (doc.kea?.ca !== undefined) assert.equal(c.kea?.ca, resolve(files.dir, doc.kea.ca));
      }),
      // ~0.7 ms a run (file write, YAML, zod): half the runs keep this property near 4 s on 2 cores.
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });

  it('random JSON/YAML documents and random text give a ConfigInput or an InputError naming the file', async () => {
    const doc = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('partner', 'scopes', 'only', 'timeout', 'kea', 'ldap', 'format', 'color', 'x'), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
    );
    const text = fc.oneof(
      fc.tuple(doc, fc.boolean()).map(([d, y]) => asText(d, y)),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: fc.constantFrom(...'{}[]:,-&*!|>"\'#?% \n\ta1'.split('')), maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('r.yaml', t);
        const r = await inputOrAsync(() => readConfigFile(path));
        if (!r.ok) return assertNames(r.error, path);
        assert.ok(typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value));
        for (const key of ['partner', 'local'] as const) if (r.value[key] !== undefined) assert.equal(typeof r.value[key], 'string');
      }),
      { numRuns },
    );
  });

  it('billion-laughs alias structures are refused, never expanded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.constantFrom('partner', 'scopes', 'lol'),
        async (depth, width, key) => {
          const lines = ['a0: &a0 ["lol"]'];
          for (let d = 1; d <= depth; d++) lines.push(`a${d}: &a${d} [${Array.from({ length: width }, () => `*a${d - 1}`).join(', ')}]`);
          lines.push(`${key}: *a${depth}`);
          const path = files.file('laughs.yaml', `${lines.join('\n')}\n`);
          const r = await inputOrAsync(() => readConfigFile(path));
          assert.ok(!r.ok, 'an alias bomb is never a config');
          assertNames(r.error, path);
        },
      ),
      // 11 x 11 x 3 = 363 distinct documents at ~9 ms each: 1 000 runs cover them all.
      { numRuns: Math.ceil(numRuns / 10) },
    );
  });

  it('reading a config never prints a YAML warning to stderr (errors are one line)', async () => {
    const text = fc.oneof(
      fc.constantFrom('%FOO bar\n---\npartner: x\n', '!custom partner: x\n', '&a: 1\n'),
      fc.string({ unit: fc.constantFrom('%', '!', '&', '*', ':', ' ', 'a', '\n', '-'), maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const path = files.file('warn.yaml', t);
        assert.deepEqual(await warningsDuring(() => readConfigFile(path)), []);
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });
});

describe('IPv4 masks and classes', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  it('prefixToMask/maskToPrefix are inverse on 0..32, and the mask has exactly `prefix` leading ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32 }), (p) => {
        const m = prefixToMask(p);
        assert.ok(Number.isInteger(m) && m >= 0 && m <= 0xffffffff);
        assert.equal(maskToPrefix(m), p);
        assert.equal(m.toString(2).padStart(32, '0'), '1'.repeat(p) + '0'.repeat(32 - p));
      }),
      { numRuns },
    );
  });

  it('maskToPrefix accepts exactly the contiguous masks', () => {
    const masks = fc.oneof(
      u32,
      fc.integer({ min: 0, max: 32 }).map(prefixToMask),
      fc.tuple(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 31 })).map(([p, b]) => (prefixToMask(p) ^ (1 << b)) >>> 0),
    );
    fc.assert(
      fc.property(masks, (m) => {
        const contiguous = /^1*0*$/.test(m.toString(2).padStart(32, '0'));
        const p = maskToPrefix(m);
        assert.equal(p !== undefined, contiguous, formatIPv4(m));
        if (p !== undefined) assert.equal(prefixToMask(p), m);
      }),
      { numRuns },
    );
  });

  /** The address blocks as the README lists them, checked by CIDR membership. */
  const oracle = (v: number): AddressClass => {
    const inBlock = (net: string, p: number) => (v & prefixToMask(p)) >>> 0 === parseIPv4(net);
    if (v === 0xffffffff) return 'broadcast';
    if (inBlock('0.0.0.0', 8)) return 'unspecified';
    if (inBlock('224.0.0.0', 4)) return 'multicast';
    if (inBlock('240.0.0.0', 4)) return 'reserved';
    if (inBlock('127.0.0.0', 8)) return 'loopback';
    if (inBlock('169.254.0.0', 16)) return 'link-local';
    return 'unicast';
  };
  it('classifyIPv4 agrees with a CIDR-block oracle', () => {
    const edges = fc
      .constantFrom(
        '0.0.0.0',
        '0.255.255.255',
        '1.0.0.0',
        '126.255.255.255',
        '127.0.0.0',
        '127.255.255.255',
        '128.0.0.0',
        '169.253.255.255',
        '169.254.0.0',
        '169.254.255.255',
        '169.255.0.0',
        '223.255.255.255',
        '224.0.0.0',
        '239.255.255.255',
        '240.0.0.0',
        '255.255.255.254',
        '255.255.255.255',
      )
      .map((s) => parseIPv4(s)!);
    fc.assert(
      fc.property(fc.oneof(u32, edges), (v) => {
        assert.equal(classifyIPv4(v), oracle(v), formatIPv4(v));
      }),
      { numRuns },
    );
  });
});

describe('directory helpers (ldap-parse)', () => {
  it('parseOsVersion reads Major.Minor[.Build] and "Major.Minor (Build)"', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined }),
        fc.constantFrom('dot', 'paren', 'paren-spaced'),
        fc.constantFrom('', ' ', '  '),
        fc.constantFrom('', ' ', ' Service Pack 1', '\t(x)'),
        (major, minor, build, form, lead, tail) => {
          const b = build === undefined ? '' : form === 'dot' ? `.${build}` : form === 'paren' ? ` (${build})` : `(  ${build} )`;
          const v = parseOsVersion(`${lead}${major}.${minor}${b}${tail}`);
          assert.deepEqual(v, build === undefined ? { major, minor } : { major, minor, build });
        },
      ),
      { numRuns },
    );
  });

  it('parseOsVersion on any string: undefined, or the numbers at the start of the text', () => {
    fc.assert(
      fc.property(fuzz('0123456789. ()\tx', 20), (text) => {
        const v = parseOsVersion(text);
        if (v === undefined) return;
        const m = /^\s*(\d+)\.(\d+)/.exec(text);
        assert.ok(m, text);
        assert.equal(v.major, Number(m[1]));
        assert.equal(v.minor, Number(m[2]));
        assert.ok(v.major <= 999 && v.minor <= 999 && (v.build === undefined || (Number.isInteger(v.build) && v.build <= 999_999)));
      }),
      { numRuns },
    );
  });

  it('parseDhcpServers finds every generated i<ip>$rcn=<name>$f0x...$ entry, in order', () => {
    const field = fc.oneof(
      fc.ipV4(),
      fc.string({ maxLength: 12 }).filter((s) => !s.includes('$')),
    );
    const name = fc.oneof(
      fc.domain(),
      fc.string({ maxLength: 12 }).filter((s) => !s.includes('$')),
    );
    const entry = fc.record({ address: field, name, flags: fc.option(fc.stringMatching(/^[0-9a-f]{1,16}$/), { nil: undefined }) });
    // Separators hold no 'i' (an entry's start), no '$' and no 'f' (a flags part) so they cannot be read as entries.
    const sep = fc.string({ unit: fc.constantFrom(' ', ',', ';', 'x', '0', 'r', 'c', 'n', '='), maxLength: 4 });
    const value = fc.array(fc.tuple(sep, entry), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (vals) => {
        const raws = vals.map((v) => v.map(([s, e]) => `${s}i${e.address}$rcn=${e.name}$${e.flags === undefined ? '' : `f0x${e.flags}$`}`));
        const got = parseDhcpServers(raws.map((r) => r.join('')));
        const want = vals.flatMap((v, i) => v.map(([s, e], j) => ({ address: e.address.trim(), name: e.name.trim(), raw: raws[i]![j]!.slice(s.length) })));
        assert.deepEqual(got, want);
      }),
      { numRuns },
    );
  });

  it('escapeFilterValue leaves no unescaped * ( ) \\ or NUL, and unescapes back to the input', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\0', 'a', '5', 'c', ' ', 'é'), maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const e = escapeFilterValue(s);
        assert.ok(!/[*()\0]/.test(e), JSON.stringify(e));
        // Every backslash starts one of the five escapes.
        assert.equal(e.replace(/\\(?:5c|2a|28|29|00)/g, '').includes('\\'), false, JSON.stringify(e));
        assert.equal(
          e.replace(/\\([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          s,
        );
        if (!/[*()\\\0]/.test(s)) assert.equal(e, s);
      }),
      { numRuns },
    );
  });
});

describe('Kea version and agent URL', () => {
  it('parseVersion reads Major.Minor.Build and keeps the text', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(99), fc.nat(999), fc.constantFrom('', '-git', ' (isc20220128)', '.1', 'b1'), (a, b, c, suffix) => {
        const text = `${a}.${b}.${c}${suffix}`;
        assert.deepEqual(parseVersion(text), { product: 'Kea', major: a, minor: b, build: c, text });
      }),
      { numRuns },
    );
  });

  it('parseVersion on any string: undefined or the leading three numbers', () => {
    fc.assert(
      fc.property(fc.option(fuzz('0123456789.-ab ', 16), { nil: undefined }), (text) => {
        const v = parseVersion(text);
        const m = /^(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
        if (!m) return assert.equal(v, undefined);
        assert.deepEqual(v, { product: 'Kea', major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]), text });
      }),
      { numRuns },
    );
  });

  it('agentUrl: an http(s) URL whose display form has no credentials, or an InputError that does not echo a password', () => {
    const url = fc.oneof(
      fc.webUrl({ validSchemes: ['http', 'https', 'ftp', 'file'], authoritySettings: { withUserInfo: true, withPort: true } }),
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.constantFrom('http://', 'https://', 'http://u:s3cr3tpw@', ''), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(url, (text) => {
        const r = inputOr(() => agentUrl(text));
        if (!r.ok) {
          assert.ok(!r.error.message.includes('s3cr3tpw'), r.error.message);
          return;
        }
        assert.ok(['http:', 'https:'].includes(r.value.url.protocol));
        const shown = new URL(r.value.display);
        assert.equal(shown.username, '');
        assert.equal(shown.password, '');
        assert.equal(shown.host, r.value.url.host);
      }),
      { numRuns },
    );
  });
});
