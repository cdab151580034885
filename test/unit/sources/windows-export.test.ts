import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseIPv4 } from '../../../src/net/ipv4.js';
import { loadWindowsExport, windowsExportFacts } from '../../../src/sources/windows-export.js';
import { InputError } from '../../../src/util/errors.js';
import { throwsInput } from '../../helpers/input-error.js';

const FIXTURES = 'test/fixtures/windows';
const ip = (text: string): number => parseIPv4(text)!;
const DTD_REFUSED = 'DOCTYPE/entity declarations are not allowed (possible entity-expansion or external-entity attack)';

let dir: string;
let exportText: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'windows-export-'));
  exportText = (await readFile(`${FIXTURES}/export.xml`, 'utf8')).replace(/^\ufeff/, '');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXPECTED_SCOPES = [
  {
    network: ip('10.20.1.0'),
    prefix: 24,
    rangeStart: ip('10.20.1.10'),
    rangeEnd: ip('10.20.1.200'),
    name: 'R&D <lab>',
    state: 'Active',
    exclusions: [{ start: ip('10.20.1.10'), end: ip('10.20.1.19') }],
  },
  {
    network: ip('10.20.2.0'),
    prefix: 23,
    rangeStart: ip('10.20.2.20'),
    rangeEnd: ip('10.20.3.250'),
    name: 'Guests',
    state: 'InActive',
    exclusions: [
      { start: ip('10.20.2.20'), end: ip('10.20.2.29') },
      { start: ip('10.20.3.240'), end: ip('10.20.3.250') },
    ],
  },
  { network: ip('192.168.7.0'), prefix: 24, rangeStart: ip('192.168.7.1'), rangeEnd: ip('192.168.7.254'), name: 'Branch <7>', state: 'Active' },
];

describe('loadWindowsExport', () => {
  it('reads a UTF-8 export: version and only the scopes own fields and exclusion ranges (not policies or reservations)', async () => {
    const path = `${FIXTURES}/export.xml`;
    const facts = await loadWindowsExport(path);
    assert.deepEqual(facts, {
      source: `windows-export:${path}`,
      platform: 'windows',
      version: { product: 'Windows DHCP Server', major: 10, minor: 0, text: '10.0' },
      scopes: EXPECTED_SCOPES,
    });
    // What an export cannot know stays unknown.
    for (const key of ['service', 'identity', 'maxClockSkewSeconds', 'relationships', 'name'] as const) {
      assert.equal(facts[key], undefined, key);
    }
  });

  it('reads UTF-16LE and UTF-16BE exports with a BOM', async () => {
    const le = join(dir, 'le.xml');
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(exportText.replace('utf-8', 'utf-16'), 'utf16le')]));
    assert.deepEqual((await loadWindowsExport(le)).scopes, EXPECTED_SCOPES);
    const be = join(dir, 'be.xml');
    await writeFile(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(exportText, 'utf16le').swap16()]));
    assert.deepEqual((await loadWindowsExport(be)).scopes, EXPECTED_SCOPES);
  });

  it('refuses a truncated UTF-16 file', async () => {
    const path = join(dir, 'cut.xml');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(exportText, 'utf16le')]);
    await writeFile(path, bytes.subarray(0, 1001));
    await assert.rejects(loadWindowsExport(path), {
      name: 'InputError',
      message: `${path}: invalid UTF-16LE text: odd number of bytes (truncated file?)`,
    });
    await writeFile(path, bytes.subarray(0, 1000));
    await assert.rejects(loadWindowsExport(path), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(
        err.message,
        new RegExp(`^${path}: malformed XML at line \\d+, column \\d+: <\\w+> opened at line \\d+ is never closed \\(truncated file\\?\\)$`),
      );
      return true;
    });
  });

  it('refuses a billion-laughs DOCTYPE before parsing', async () => {
    const path = `${FIXTURES}/billion-laughs.xml`;
    await assert.rejects(loadWindowsExport(path), { name: 'InputError', message: `${path}: ${DTD_REFUSED}` });
  });

  it('refuses an external entity and never reads the file it names', async () => {
    const path = `${FIXTURES}/xxe.xml`;
    await assert.rejects(loadWindowsExport(path), { name: 'InputError', message: `${path}: ${DTD_REFUSED}` });
    throwsInput(() => windowsExportFacts('x.xml', '<!entity x "y"><DHCPServer/>'), `x.xml: ${DTD_REFUSED}`);
  });

  it('refuses undeclared entities instead of resolving them', () => {
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('R&amp;D', 'R&xxe;D')),
      'x.xml: malformed XML at line 40, column 16: invalid entity reference "&xxe;D &lt;l"',
    );
  });

  it('decodes character references', () => {
    const facts = windowsExportFacts('x.xml', exportText.replace('Guests', 'G&#228;ste &#x1F600;'));
    assert.equal(facts.scopes?.[1]?.name, 'Gäste 😀');
  });

  it('reports malformed XML with its line', () => {
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('</Name>\n        <SubnetMask>255.255.254.0', '</Nam>\n        <SubnetMask>255.255.254.0')),
      'x.xml: malformed XML at line 88, column 21: closing tag </Nam> does not match <Name> opened at line 88',
    );
    throwsInput(
      () => windowsExportFacts('x.xml', '<DHCPServer>\n  <IPv4>\n    <Scopes>\n'),
      'x.xml: malformed XML at line 4, column 1: <Scopes> opened at line 3 is never closed (truncated file?)',
    );
    throwsInput(
      () => windowsExportFacts('x.xml', '<DHCPServer><a>1 < 2</a></DHCPServer>'),
      "x.xml: malformed XML at line 1, column 18: '<' not followed by a tag name (write it as &lt;)",
    );
    throwsInput(
      () => windowsExportFacts('x.xml', '<DHCPServer/><DHCPServer/>'),
      'x.xml: malformed XML at line 1, column 14: a second root element <DHCPServer>',
    );
    throwsInput(() => windowsExportFacts('x.xml', '<DHCPServer><!-- open </DHCPServer>'), 'x.xml: malformed XML at line 1, column 13: unterminated comment');
  });

  it('refuses documents that are not an export', () => {
    throwsInput(
      () => windowsExportFacts('x.xml', '<?xml version="1.0"?>\n<Config/>'),
      'x.xml: not an Export-DhcpServer file: root element is <Config>, expected <DHCPServer>',
    );
    throwsInput(() => windowsExportFacts('x.xml', '   '), 'x.xml: not an Export-DhcpServer file: no <DHCPServer> element');
  });

  it('names the scope and value for bad scope data', () => {
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('<SubnetMask>255.255.254.0', '<SubnetMask>255.255.0.255')),
      'x.xml: DHCPServer/IPv4/Scopes/Scope[2]/SubnetMask: 255.255.0.255 is not a contiguous subnet mask (scope 10.20.2.0 (Guests))',
    );
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('<ScopeId>192.168.7.0', '<ScopeId>192.168.7.300')),
      'x.xml: DHCPServer/IPv4/Scopes/Scope[3]/ScopeId: expected an IPv4 address, got 192.168.7.300',
    );
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('<MajorVersion>10<', '<MajorVersion>ten<')),
      'x.xml: DHCPServer/MajorVersion: expected a whole number, got ten',
    );
    throwsInput(
      () => windowsExportFacts('x.xml', exportText.replace('<Name>Guests</Name>', '<Name><b>Guests</b></Name>')),
      'x.xml: DHCPServer/IPv4/Scopes/Scope[2]/Name: expected text, got child elements',
    );
  });

  it('leaves version and scopes unknown when the export lacks them', () => {
    assert.deepEqual(windowsExportFacts('x.xml', '<DHCPServer/>'), {
      source: 'windows-export:x.xml',
      platform: 'windows',
    });
    assert.deepEqual(windowsExportFacts('x.xml', '<DHCPServer><IPv4><Scopes/></IPv4></DHCPServer>').scopes, []);
  });

  it('refuses a missing file with one line', async () => {
    const path = join(dir, 'absent.xml');
    await assert.rejects(loadWindowsExport(path), { name: 'InputError', message: `${path}: no such file` });
  });

  // How fast is bench/scopes.ts's to measure; here that 100 000 scopes all arrive, intact.
  it('parses 100 000 scopes', { timeout: 60_000 }, () => {
    const parts = ['<?xml version="1.0" encoding="utf-16"?>\r\n<DHCPServer>\r\n<MajorVersion>10</MajorVersion>\r\n<IPv4>\r\n<Scopes>\r\n'];
    for (let i = 0; i < 100_000; i++) {
      const p = `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
      parts.push(
        `<Scope>\r\n<ScopeId>${p}.0</ScopeId>\r\n<Name>s${i}</Name>\r\n<SubnetMask>255.255.255.0</SubnetMask>\r\n<StartRange>${p}.10</StartRange>\r\n<EndRange>${p}.200</EndRange>\r\n<LeaseDuration>8.00:00:00</LeaseDuration>\r\n<State>Active</State>\r\n<ExclusionRanges>\r\n<IPRange>\r\n<StartRange>${p}.10</StartRange>\r\n<EndRange>${p}.19</EndRange>\r\n</IPRange>\r\n</ExclusionRanges>\r\n</Scope>\r\n`,
      );
    }
    parts.push('</Scopes>\r\n</IPv4>\r\n</DHCPServer>\r\n');
    const text = parts.join('');
    const facts = windowsExportFacts('big.xml', text);
    assert.equal(facts.scopes?.length, 100_000);
    const last = facts.scopes?.at(-1);
    assert.equal(last?.network, parseIPv4('11.134.159.0'));
    assert.equal(last?.name, 's99999');
    assert.equal(last?.rangeEnd, parseIPv4('11.134.159.200'));
  });
});
