import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import type { ServerFacts } from '../../../src/facts.js';
import { PRODUCTS } from '../../../src/platforms/ids.js';
import { toScope } from '../../../src/sources/inventory-facts.js';
import { InventoryJsonReader } from '../../../src/sources/inventory-json.js';
import { InventorySchema, inventoryFacts, loadInventory } from '../../../src/sources/inventory.js';
import { parseDocument } from '../../../src/util/document.js';
import { parseDuration } from '../../../src/util/duration.js';
import { InputError } from '../../../src/util/errors.js';
import { readGuardedText } from '../../../src/util/read-guarded.js';
import { inputOr, inputOrAsync, numRuns, tempFiles } from '../../helpers/property-files.js';

// A JSON inventory is streamed, a YAML one parsed whole: both give the same facts, and the same
// refusal as when every inventory was parsed whole by the YAML parser and checked by zod at once
// (that road is kept below as the oracle), plus "(and N more)" when there are more problems.

const files = tempFiles('inventory');
after(() => files.remove());
const runs = Math.ceil(numRuns / 10);

/** The inventory source before streaming: the whole document, one zod parse, then the facts. */
async function before(path: string, text: string): Promise<ServerFacts> {
  const inv = await parseDocument(path, text, InventorySchema);
  const facts: ServerFacts = { source: `inventory:${path}`, platform: inv.platform };
  if (inv.name !== undefined) facts.name = inv.name;
  if (inv.addresses) facts.addresses = inv.addresses;
  if (inv.staticAddress !== undefined) facts.staticAddress = inv.staticAddress;
  if (inv.version) {
    const [major, minor, build] = inv.version.split('.').map(Number) as [number, number, number?];
    facts.version = { product: PRODUCTS[inv.platform], major, minor, text: inv.version, ...(build === undefined ? {} : { build }) };
  }
  if (inv.phase === 'before-deploy') facts.running = false;
  if (inv.service) facts.service = { state: inv.service, raw: inv.service };
  if (inv.maxClockSkew !== undefined) {
    facts.maxClockSkewSeconds = typeof inv.maxClockSkew === 'number' ? inv.maxClockSkew : parseDuration(inv.maxClockSkew, `${path}: maxClockSkew`) / 1000;
  }
  if (inv.maxRelationships !== undefined) facts.maxRelationships = inv.maxRelationships;
  if (inv.authorized !== undefined) facts.authorized = inv.authorized;
  if (inv.domainJoined !== undefined) facts.domainJoined = inv.domainJoined;
  if (inv.relationships) facts.relationships = inv.relationships.map((r) => ({ name: r.name, partner: r.partner, mode: r.mode, scopeIds: r.scopes }));
  if (inv.scopes) facts.scopes = inv.scopes.map((s, i) => toScope(s, `${path}: scopes[${i}]`));
  if (inv.identity) facts.identity = inv.identity;
  return facts;
}

/** The text fed to the streaming reader in pieces of `size` characters. */
function streamed(path: string, text: string, size: number): ServerFacts {
  const reader = new InventoryJsonReader(path);
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
  reader.end();
  return reader.facts();
}

const scopeText = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 32 })).map(([b, p]) => `10.${b}.0.0/${p}`),
  fc.constantFrom('10.0.0.0/24', '10.0.0.0/33', '10.0.0.5/24', '10.0.0.0', 'x', ' 10.1.0.0/16 ', '10.0.0.0/8'),
);
const scopeArb = fc.record(
  {
    scope: scopeText,
    range: fc.constantFrom('10.0.0.10 - 10.0.0.20', '10.0.0.20-10.0.0.10', '10.9.0.1 - 10.9.0.2', 'x'),
    name: fc.string({ maxLength: 5 }),
    state: fc.constantFrom('Active', 'InActive'),
    subnetId: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: ['scope'] },
);
const inventoryArb = fc.record(
  {
    $schema: fc.constant('x'),
    name: fc.string({ maxLength: 6 }),
    platform: fc.constantFrom('windows', 'kea', 'isc-dhcpd', 'other'),
    addresses: fc.array(fc.constantFrom('10.0.0.1', '192.168.1.1'), { maxLength: 2 }),
    staticAddress: fc.boolean(),
    version: fc.constantFrom('10.0', '2.2.0', '6.3.9600'),
    service: fc.constantFrom('running', 'paused', 'stopped'),
    phase: fc.constantFrom('before-deploy', 'live'),
    maxClockSkew: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom('60s', '1m', 'soon')),
    maxRelationships: fc.integer({ min: 1, max: 31 }),
    authorized: fc.boolean(),
    domainJoined: fc.boolean(),
    relationships: fc.array(
      fc.record(
        {
          name: fc.string({ maxLength: 4 }),
          partner: fc.string({ maxLength: 4 }),
          mode: fc.string({ maxLength: 4 }),
          scopes: fc.array(fc.constantFrom('10.0.0.0', '10.1.0.0'), { maxLength: 2 }),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
    scopes: fc.array(scopeArb, { maxLength: 6 }),
    identity: fc.record({ user: fc.string({ maxLength: 4 }), isDhcpAdministrator: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['platform'] },
);

/** A member replaced with a value of another kind, or a key added, anywhere in the document. */
const wrong = fc.constantFrom(7, -1, 0, 1.5, Infinity, -Infinity, 'x', null, true, [], {}, [1], { scope: 5 }, { extra: 1 });
function mutate(doc: Record<string, unknown>, where: number, value: unknown, addKey: string | undefined): Record<string, unknown> {
  const slots: { parent: Record<string | number, unknown>; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        slots.push({ parent: node as unknown as Record<number, unknown>, key: i });
        walk(node[i]);
      }
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        slots.push({ parent: node as Record<string, unknown>, key: k });
        walk(v);
      }
    }
  };
  const copy = structuredClone(doc);
  walk(copy);
  const slot = slots[Math.floor(where * slots.length)];
  if (!slot) return copy;
  if (addKey !== undefined && !Array.isArray(slot.parent)) slot.parent[addKey] = value;
  else slot.parent[slot.key] = value;
  return copy;
}
const mutation = fc.tuple(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  wrong,
  fc.option(fc.constantFrom('extra', 'scope', 'platfrom', 'subnetID', 'nmae')),
);
const docArb = fc.oneof(
  { weight: 1, arbitrary: inventoryArb as fc.Arbitrary<Record<string, unknown>> },
  {
    weight: 3,
    // Several problems at once: which one is named first is the point.
    arbitrary: fc
      .tuple(inventoryArb, fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([d, ms]) => ms.reduce((doc, [w, v, k]) => mutate(doc, w, v, k ?? undefined), d as Record<string, unknown>)),
  },
);

/** JSON that keeps 1e400 as written (JSON.stringify would write null). */
const json = (doc: unknown, indent: number): string =>
  JSON.stringify(doc, (_k, v: unknown) => (v === Infinity ? '@@inf@@' : v === -Infinity ? '@@-inf@@' : v), indent)
    .replaceAll('"@@inf@@"', '1e400')
    .replaceAll('"@@-inf@@"', '-1e400');

function sameOutcome(got: { ok: true; value: ServerFacts } | { ok: false; error: InputError }, want: typeof got, what: string): void {
  if (want.ok) {
    assert.ok(got.ok, `${what}: refused: ${got.ok ? '' : got.error.message}`);
    assert.deepEqual(got.value, want.value, what);
  } else {
    assert.ok(!got.ok, `${what}: accepted, expected ${want.error.message}`);
    // The same first problem, then perhaps how many more.
    const rest = got.error.message.slice(want.error.message.length);
    assert.ok(
      got.error.message.startsWith(want.error.message) && /^( \(and [\d,]+ more\))?$/.test(rest),
      `${what}:\n got ${got.error.message}\nwant ${want.error.message}`,
    );
  }
}

describe('inventory: streamed JSON and whole YAML give the facts and refusals of the whole-document road', () => {
  it('generated and mutated documents, as JSON (in pieces of 1 to 7 characters) and as YAML', async () => {
    await fc.assert(
      fc.asyncProperty(docArb, fc.integer({ min: 1, max: 7 }), fc.constantFrom(0, 1), async (doc, size, indent) => {
        const jsonText = json(doc, indent);
        const want = await inputOrAsync(() => before('inv', jsonText));
        sameOutcome(
          inputOr(() => inventoryFacts('inv', jsonText)),
          want,
          `JSON ${jsonText}`,
        );
        sameOutcome(
          inputOr(() => streamed('inv', jsonText, size)),
          want,
          `JSON in ${size}-character pieces ${jsonText}`,
        );
        if (!jsonText.includes('1e400')) {
          const yamlText = toYaml(doc);
          sameOutcome(
            inputOr(() => inventoryFacts('inv', yamlText)),
            await inputOrAsync(() => before('inv', yamlText)),
            `YAML ${yamlText}`,
          );
        }
      }),
      { numRuns: runs },
    );
  });

  it('valid documents: the same facts from JSON and YAML', () => {
    fc.assert(
      fc.property(inventoryArb, (doc) => {
        const fromJson = inputOr(() => inventoryFacts('inv', JSON.stringify(doc)));
        const fromYaml = inputOr(() => inventoryFacts('inv', toYaml(doc)));
        assert.deepEqual(fromJson, fromYaml);
      }),
      { numRuns: runs },
    );
  });

  it('JSON the streaming reader refuses is read by the YAML parser, in its words', async () => {
    for (const text of [
      '{platform: kea}',
      '{"platform": "kea", "platform": "kea"}',
      '{"platform": "kea", "scopes": [{"scope": "10.0.0.0/24", "scope": "x"}]}',
      '{"platform": "kea",}',
      '{"platform": "kea"} x',
    ]) {
      sameOutcome(
        inputOr(() => inventoryFacts('inv', text)),
        await inputOrAsync(() => before('inv', text)),
        text,
      );
      const path = files.file('refused.json', text);
      sameOutcome(await inputOrAsync(() => loadInventory(path)), await inputOrAsync(() => before(path, text)), `file ${text}`);
    }
  });

  it('1e400 is said as written, on the streamed road too', () => {
    assert.throws(
      () => inventoryFacts('i.json', '{"platform": "kea", "scopes": [{"scope": "10.0.0.0/24", "subnetId": 1e400}]}'),
      new InputError('i.json: scopes.0.subnetId: must be a finite number (got 1e400)'),
    );
    assert.throws(
      () => inventoryFacts('i.json', '{"platform": "kea", "maxClockSkew": -1E400}'),
      new InputError('i.json: maxClockSkew: must be a finite number of seconds (got -1E400)'),
    );
  });
});

describe('inventory: refusals', () => {
  const bad = (n: number) => JSON.stringify({ platform: 'kea', scopes: Array.from({ length: n }, (_, i) => ({ scope: `10.${i >> 8}.${i & 255}.0/33` })) });

  it('name the first problem with its file and path, and count the rest', () => {
    assert.throws(
      () => inventoryFacts('big.json', bad(1)),
      new InputError('big.json: scopes[0].scope: "10.0.0.0/33" has an invalid prefix length /33 (expected /0 to /32)'),
    );
    assert.throws(
      () => inventoryFacts('big.json', bad(25)),
      new InputError('big.json: scopes[0].scope: "10.0.0.0/33" has an invalid prefix length /33 (expected /0 to /32) (and 24 more)'),
    );
    assert.throws(() => inventoryFacts('big.json', bad(2000)), /\(and 1,999 more\)$/);
  });

  it('an unknown key anywhere comes first, as zod named it', () => {
    const text = JSON.stringify({ platform: 7, scopes: [{ scope: 5 }, { scope: '10.0.0.0/24', nmae: 'x' }], identity: { usr: 'x' } });
    assert.throws(() => inventoryFacts('i.json', text), new InputError('i.json: scopes.1.nmae: unknown key (did you mean name?) (and 3 more)'));
  });

  it('a document nested deeper than 256 levels: the existing words and line', async () => {
    const text = `{"platform": "kea",\n"x": ${'['.repeat(300)}${']'.repeat(300)}}`;
    assert.throws(() => inventoryFacts('deep.json', text), new InputError('deep.json: nested deeper than 256 levels at line 2'));
    const path = files.file('deep.json', text);
    await assert.rejects(loadInventory(path), new InputError(`${path}: nested deeper than 256 levels at line 2`));
  });
});

describe('loadInventory: files', () => {
  it('a JSON file (streamed), its YAML twin and a BOM give the same facts', async () => {
    const doc = {
      platform: 'windows',
      name: 'dhcp1',
      scopes: [{ scope: '10.0.0.0/24', range: '10.0.0.10 - 10.0.0.20' }, { scope: '10.0.1.0/24' }],
      relationships: [{ name: 'r', scopes: ['10.0.0.0'] }],
    };
    const a = await loadInventory(files.file('a.json', `\n  ${JSON.stringify(doc, null, 2)}\n`));
    const b = await loadInventory(files.file('a.yaml', toYaml(doc)));
    const c = await loadInventory(files.file('bom.json', `\uFEFF${JSON.stringify(doc)}`));
    for (const f of [a, b, c]) f.source = 'inventory:x';
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.equal(a.scopes?.length, 2);
  });

  it('text that cannot be decoded: the words of the whole-file reader, as before', async () => {
    for (const [name, bytes] of [
      ['bad-utf8.json', Buffer.concat([Buffer.from('{"platform": "kea", "name": "'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"}')])],
      ['nobom.json', Buffer.from('{"platform": "kea"}', 'utf16le')],
    ] as const) {
      const path = files.file(name, bytes);
      const want = await readGuardedText(path, { purpose: 'inventory', timeoutMs: 5000 }).then(
        () => 'decoded',
        (err: Error) => err.message,
      );
      await assert.rejects(loadInventory(path), (err: Error) => err instanceof InputError && err.message === want);
    }
  });

  it('an empty file: refused as before', async () => {
    const path = files.file('empty.json', '');
    await assert.rejects(loadInventory(path), (err: Error) => err instanceof InputError && err.message.startsWith(`${path}: document:`));
  });
});
