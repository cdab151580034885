import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BILLION_LAUGHS_XML, externalEntityXml, runMeasured, YAML_BOMB, type MeasuredRun } from '../helpers/hostile-files.js';
import { startHostileTcp, type HostileTcp } from '../helpers/hostile-tcp.js';
import { assertOneLineError } from '../helpers/hostile-run.js';

// Hostile input files through the built CLI: each is refused with exit 2 and one line on stderr
// that names the file and the problem, quickly, and (for the big ones) without reading it into
// memory: the child's peak RSS is measured with GNU time.

const MB = 1024 * 1024;
/** Node itself takes ~60-70 MB here; a file read whole would add its size on top. */
const REFUSED_UNREAD_KB = 150 * 1024;

describe('hostile input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-hostile-files-'));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const sparse = (name: string, bytes: number) => {
    const p = join(dir, name);
    writeFileSync(p, '');
    truncateSync(p, bytes);
    return p;
  };
  let xxeTarget: HostileTcp;
  before(async () => {
    xxeTarget = await startHostileTcp('hold', '127.0.0.3');
  });
  after(async () => {
    await xxeTarget?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const partner = (spec: string) => ['127.0.0.2', '--partner-source', spec, '--timeout', '2s'];
  const refused = (run: MeasuredRun, path: string, problem: RegExp) => {
    assertOneLineError({ ...run, signal: null }, path, problem);
    assert.ok(run.wallMs < 3000, `${Math.round(run.wallMs)} ms`);
  };

  test('an export with an entity-expansion bomb (billion laughs): refused before parsing', async () => {
    const p = file('laughs.xml', BILLION_LAUGHS_XML);
    const run = await runMeasured(partner(`windows-export:${p}`));
    refused(run, p, /DOCTYPE\/entity declarations are not allowed/);
    assert.ok(!run.stderr.includes('lollol'));
  });

  test('the same bomb in UTF-16LE with a BOM: refused the same way', async () => {
    const p = file('laughs-utf16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BILLION_LAUGHS_XML, 'utf16le')]));
    refused(await runMeasured(partner(`windows-export:${p}`)), p, /DOCTYPE\/entity declarations are not allowed/);
  });

  test('an export with external entities (a local file, an http URL on 127.0.0.3): never resolved, never read, never fetched', async () => {
    const secret = file('secret.txt', 'TOP-SECRET-CONTENT-4711');
    for (const systemId of [`file://${secret}`, `http://127.0.0.3:${xxeTarget.port}/xxe`]) {
      const p = file(`xxe-${xxeTarget.accepted}-${systemId.length}.xml`, externalEntityXml(systemId));
      const run = await runMeasured(partner(`windows-export:${p}`));
      refused(run, p, /DOCTYPE\/entity declarations are not allowed/);
      assert.ok(!run.stderr.includes('TOP-SECRET') && !run.stdout.includes('TOP-SECRET'));
    }
    assert.equal(xxeTarget.accepted, 0, 'the external entity URL was fetched');
  });

  test('a 200 MB (sparse) inventory: refused by size before reading, memory stays flat', async () => {
    const p = sparse('big-inventory.yaml', 200 * MB);
    const run = await runMeasured(partner(`inventory:${p}`));
    refused(run, p, /200 MiB is larger than the 32 MiB limit/);
    if (run.maxRssKb !== undefined) assert.ok(run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });

  test('a 600 MB (sparse) export: refused by size before reading, memory stays flat', async () => {
    const p = sparse('big-export.xml', 600 * MB);
    const run = await runMeasured(partner(`windows-export:${p}`));
    refused(run, p, /600 MiB is larger than the 512 MiB limit/);
    if (run.maxRssKb !== undefined) assert.ok(run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });

  test('a 700 MB (sparse) export is refused unread too', async () => {
    const p = sparse('big-export-700.xml', 700 * MB);
    const run = await runMeasured(partner(`windows-export:${p}`));
    assertOneLineError({ ...run, signal: null }, p);
    assert.ok(run.maxRssKb !== undefined && run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });

  test('a 200 MB (sparse) config file: refused by size', async () => {
    const p = sparse('big-config.yaml', 200 * MB);
    const run = await runMeasured(['127.0.0.2', '--config', p]);
    refused(run, p, /200 MiB is larger than the 16 MiB limit/);
    if (run.maxRssKb !== undefined) assert.ok(run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });

  test('broken UTF-16: an odd number of bytes after a UTF-16LE BOM', async () => {
    const body = Buffer.from('<DHCPServer><MajorVersion>10</MajorVersion></DHCPServer>', 'utf16le');
    const p = file('odd.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), body, Buffer.from([0x3c])]));
    refused(await runMeasured(partner(`windows-export:${p}`)), p, /invalid UTF-16LE text: odd number of bytes/);
  });

  test('broken UTF-16: an unpaired surrogate in a UTF-16LE windows-json bundle', async () => {
    const json = Buffer.from('{"ComputerName":"DHCP2","Version":{"MajorVersion":10,"MinorVersion":0}}', 'utf16le');
    const bad = Buffer.from([0x00, 0xd8, 0x41, 0x00]); // U+D800 then "A"
    const p = file('surrogate.json', Buffer.concat([Buffer.from([0xff, 0xfe]), json.subarray(0, 10), bad, json.subarray(10)]));
    refused(await runMeasured(partner(`windows-json:${p}`)), p, /invalid UTF-16LE text: unpaired surrogate/);
  });

  test('UTF-16 without a BOM: named as such, not blamed on the content', async () => {
    const p = file('nobom.json', Buffer.from('{"Version":{"MajorVersion":10,"MinorVersion":0}}', 'utf16le'));
    refused(await runMeasured(partner(`windows-json:${p}`)), p, /looks like UTF-16 without a byte-order mark/);
  });

  test('JSON with wrong types: windows-json Version.MajorVersion is a string', async () => {
    const p = file('wrong-types.json', JSON.stringify({ ComputerName: 'DHCP2', Version: { MajorVersion: 'ten', MinorVersion: 0 } }));
    refused(await runMeasured(partner(`windows-json:${p}`)), p, /Version\.MajorVersion/);
  });

  test('JSON with wrong types: windows-json Scopes is a number', async () => {
    const p = file('wrong-scopes.json', JSON.stringify({ ComputerName: 'DHCP2', Version: { MajorVersion: 10, MinorVersion: 0 }, Scopes: 42 }));
    refused(await runMeasured(partner(`windows-json:${p}`)), p, /Scopes/);
  });

  test('JSON with wrong types: an inventory whose platform is a number', async () => {
    const p = file('wrong-types-inventory.json', JSON.stringify({ platform: 7, scopes: 'all of them' }));
    refused(await runMeasured(partner(`inventory:${p}`)), p, /platform/);
  });

  test('a YAML config with exploding anchors (billion laughs): refused, no expansion', async () => {
    const p = file('bomb-config.yaml', YAML_BOMB);
    const run = await runMeasured(['127.0.0.2', '--config', p]);
    refused(run, p, /not valid JSON or YAML \(.*alias/i);
    if (run.maxRssKb !== undefined) assert.ok(run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });

  test('a YAML inventory with exploding anchors: refused, no expansion', async () => {
    const p = file('bomb-inventory.yaml', `platform: windows\n${YAML_BOMB}`);
    const run = await runMeasured(partner(`inventory:${p}`));
    refused(run, p, /not valid JSON or YAML \(.*alias/i);
    if (run.maxRssKb !== undefined) assert.ok(run.maxRssKb < REFUSED_UNREAD_KB, `peak RSS ${run.maxRssKb} KiB`);
  });
});
