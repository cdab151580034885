import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPairings, readPlanFile } from '../../../src/plan-file/load.js';
import { InputError } from '../../../src/util/errors.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'dfc-plan-load-'));
  mkdirSync(join(dir, 'sub'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readPlanFile', () => {
  it('YAML: file sources, NTP endpoints and option files relative to the plan file; URLs untouched', async () => {
    const path = write(
      'sub/plan.yaml',
      [
        'servers:',
        '  hub: { address: 10.0.0.1, source: "windows-json:hub.json" }',
        '  b1:  { address: b1.corp.example, source: "kea:http://10.1.0.1:8000/", ntp: "10.1.0.1:1123", smb: "10.1.0.1:1445" }',
        '  b2:  { address: 10.2.0.1 }',
        'pairings:',
        '  - { local: hub, partner: b1, scopes: [10.1.10.0/24] }',
        '  - { local: hub, partner: b2 }',
        'options: { timeout: 5s, skip: [time], output: ["json=out/r.json"], kea: { user: kea, passwordFile: ../pw } }',
      ].join('\n'),
    );
    const plan = await readPlanFile(path);
    assert.equal(plan.path, path);
    assert.deepEqual(plan.servers.get('hub'), { address: '10.0.0.1', source: `windows-json:${join(dir, 'sub/hub.json')}` });
    assert.deepEqual(plan.servers.get('b1'), { address: 'b1.corp.example', source: 'kea:http://10.1.0.1:8000/', ntp: '10.1.0.1:1123', smb: '10.1.0.1:1445' });
    assert.deepEqual(plan.servers.get('b2'), { address: '10.2.0.1' });
    assert.deepEqual(plan.pairings, [
      { local: 'hub', partner: 'b1', scopes: ['10.1.10.0/24'] },
      { local: 'hub', partner: 'b2' },
    ]);
    assert.equal(plan.options.timeout, '5s');
    assert.deepEqual(plan.options.output, [`json=${join(dir, 'sub/out/r.json')}`]);
    assert.equal(plan.options.kea?.passwordFile, join(dir, 'pw'));
  });

  it('JSON works too; the per-pair keys of the config file are refused in options', async () => {
    const ok = write(
      'p.json',
      JSON.stringify({ servers: { a: { address: '10.0.0.1' }, b: { address: '10.0.0.2' } }, pairings: [{ local: 'a', partner: 'b' }] }),
    );
    assert.equal((await readPlanFile(ok)).pairings.length, 1);
    const bad = write(
      'q.json',
      JSON.stringify({
        servers: { a: { address: '10.0.0.1' }, b: { address: '10.0.0.2' } },
        pairings: [{ local: 'a', partner: 'b' }],
        options: { partnerSource: 'inventory:x' },
      }),
    );
    await assert.rejects(readPlanFile(bad), (e: unknown) => e instanceof InputError && /options\.partnerSource: unknown key/.test(e.message));
  });

  it('a bad source or NTP endpoint names the server', async () => {
    const src = write(
      's.yaml',
      'servers:\n  hub: { address: 10.0.0.1, source: "windows-json" }\n  b: { address: 10.0.0.2 }\npairings:\n  - { local: hub, partner: b }\n',
    );
    await assert.rejects(readPlanFile(src), (e: unknown) => e instanceof InputError && e.message.includes('servers.hub.source') && e.message.includes(src));
    const ntp = write(
      'n.yaml',
      'servers:\n  hub: { address: 10.0.0.1, ntp: "300.1.1.1" }\n  b: { address: 10.0.0.2 }\npairings:\n  - { local: hub, partner: b }\n',
    );
    await assert.rejects(
      readPlanFile(ntp),
      (e: unknown) => e instanceof InputError && /servers\.hub\.ntp: "300\.1\.1\.1" is not a valid IPv4 address/.test(e.message),
    );
  });

  it('a missing plan file, bad YAML or no pairings: one InputError naming the file', async () => {
    await assert.rejects(readPlanFile(join(dir, 'nope.yaml')), (e: unknown) => e instanceof InputError && /nope\.yaml: no such file/.test(e.message));
    const yaml = write('bad.yaml', 'servers: [\n');
    await assert.rejects(readPlanFile(yaml), (e: unknown) => e instanceof InputError && /not valid JSON or YAML/.test(e.message));
    const none = write('none.yaml', 'servers: {}\npairings: []\n');
    await assert.rejects(readPlanFile(none), (e: unknown) => e instanceof InputError && /pairings: /.test(e.message));
  });
});

describe('checkPairings', () => {
  const servers = new Map([
    ['hub', 1],
    ['b1', 1],
    ['b2', 1],
  ]);
  const reject = (pairings: { local: string; partner: string }[], pattern: RegExp) =>
    assert.throws(
      () => checkPairings('plan.yaml', servers, pairings),
      (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'),
    );

  it('an unknown server, by pairing index and role, listing the known ones', () => {
    reject(
      [
        { local: 'hub', partner: 'b1' },
        { local: 'b9', partner: 'b1' },
      ],
      /^plan\.yaml: pairings\.1\.local: unknown server "b9" \(servers: hub, b1, b2\)$/,
    );
  });

  it('a server paired with itself', () => {
    reject([{ local: 'b2', partner: 'b2' }], /^plan\.yaml: pairings\.0: pairs server "b2" with itself$/);
  });

  it('the same two servers twice, in either order', () => {
    reject(
      [
        { local: 'hub', partner: 'b1' },
        { local: 'hub', partner: 'b2' },
        { local: 'hub', partner: 'b1' },
      ],
      /pairings\.2: hub and b1 are already paired by pairings\.0$/,
    );
    reject(
      [
        { local: 'hub', partner: 'b1' },
        { local: 'b1', partner: 'hub' },
      ],
      /pairings\.1: b1 and hub are already paired by pairings\.0$/,
    );
  });

  it('distinct pairings pass', () => {
    checkPairings('plan.yaml', servers, [
      { local: 'hub', partner: 'b1' },
      { local: 'hub', partner: 'b2' },
      { local: 'b1', partner: 'b2' },
    ]);
  });
});
