import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDhcpdConf } from '../../../src/sources/dhcpd/parse.js';
import { haSection } from '../../../src/migrate/ha-section.js';
import { parseCommented, plain, render } from '../../../src/migrate/render.js';
import { runCli } from '../../helpers/cli.js';
import { confText } from '../../helpers/dhcpd-confs.js';

const dir = mkdtempSync(join(tmpdir(), 'migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string, name = `c${n++}.conf`) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const peerOf = (text: string) => parseDhcpdConf(file(text)).failoverPeers[0]!;
const OPTS = { haPort: 8000, hooksDir: '/h', names: ['a', 'b'] as const };
const tuning = (split: string) => `  mclt 600;\n  ${split};\n  load balance max seconds 3;\n  max-unacked-updates 10;\n`;
type Rel = {
  mode: string;
  'this-server-name': string;
  peers: { name: string; url: string; role: string }[];
  'max-response-delay': number;
  'max-unacked-clients': number;
};
const rel = (section: ReturnType<typeof haSection>, name: string) =>
  (plain(section.servers[name]) as { 'hooks-libraries': { library: string; parameters?: { 'high-availability': Rel[] } }[] })['hooks-libraries'][1]!
    .parameters!['high-availability'][0]!;

describe('migrate: the HA section', () => {
  it('an even split is load-balancing: roles, URLs on --ha-port, timers mapped, mclt and lbms explained', () => {
    const s = haSection(peerOf(confText('primary', { tuning: tuning('split 128') })), peerOf(confText('secondary')), OPTS);
    assert.equal(s.mode, 'load-balancing');
    assert.deepEqual(s.warnings, []);
    const r = rel(s, 'b');
    assert.equal(r['this-server-name'], 'b');
    assert.deepEqual(r.peers, [
      { name: 'a', url: 'http://127.0.0.1:8000/', role: 'primary', 'auto-failover': true },
      { name: 'b', url: 'http://127.0.0.2:8000/', role: 'secondary', 'auto-failover': true },
    ]);
    assert.equal(r['max-response-delay'], 60000);
    assert.equal(r['max-unacked-clients'], 10);
    const text = render(s.servers);
    assert.match(text, /\/\/ mclt 600 \(.* line \d+\): no Kea equivalent/);
    assert.match(text, /\/\/ load balance max seconds 3 \(.* line \d+\): no Kea equivalent/);
    assert.match(text, /"library": "\/h\/libdhcp_lease_cmds.so"/);
    assert.deepEqual(parseCommented(text, 't'), plain(s.servers));
  });
  it("split 256 is hot-standby with the dhcpd primary active; split 0 makes the dhcpd secondary Kea's primary", () => {
    const hs = haSection(peerOf(confText('primary', { tuning: tuning('split 256') })), peerOf(confText('secondary')), OPTS);
    assert.equal(hs.mode, 'hot-standby');
    assert.deepEqual(
      rel(hs, 'a').peers.map((p) => [p.name, p.role]),
      [
        ['a', 'primary'],
        ['b', 'standby'],
      ],
    );
    const zero = haSection(peerOf(confText('primary', { tuning: tuning('split 0') })), peerOf(confText('secondary')), OPTS);
    assert.deepEqual(
      rel(zero, 'a').peers.map((p) => [p.name, p.role]),
      [
        ['b', 'primary'],
        ['a', 'standby'],
      ],
    );
  });
  it('an uneven split is load-balancing with a warning naming the old split; hba counts its bits', () => {
    const s = haSection(peerOf(confText('primary', { tuning: tuning('split 200') })), peerOf(confText('secondary')), OPTS);
    assert.equal(s.mode, 'load-balancing');
    assert.match(s.warnings[0]!, /^split 200 \(.* line \d+\): the dhcpd primary served 200 of 256 hash buckets \(78%\)/);
    const hba = `hba ${Array(32).fill('ff').join(':')}`;
    assert.equal(haSection(peerOf(confText('primary', { tuning: tuning(hba) })), peerOf(confText('secondary')), OPTS).mode, 'hot-standby');
  });
});

describe('migrate: the command', () => {
  const primary = file(`${confText('primary')}host h1 { hardware ethernet 00:11:22:33:44:55; fixed-address 10.99.0.5; }\n`, 'p.conf');
  const secondary = file(confText('secondary'), 's.conf');
  const kea = (name: string, id: number, pool: string, reservation = true) =>
    file(
      JSON.stringify({
        Dhcp4: {
          'hooks-libraries': [
            { library: '/h/libdhcp_lease_cmds.so' },
            {
              library: '/h/libdhcp_ha.so',
              parameters: {
                'high-availability': [
                  {
                    'this-server-name': name,
                    mode: 'load-balancing',
                    peers: [
                      { name: 'p', url: 'http://127.0.0.1:8000/', role: 'primary' },
                      { name: 's', url: 'http://127.0.0.2:8000/', role: 'secondary' },
                    ],
                  },
                ],
              },
            },
          ],
          subnet4: [
            {
              id,
              subnet: '10.99.0.0/24',
              pools: [{ pool }],
              reservations: reservation ? [{ 'hw-address': '00:11:22:33:44:55', 'ip-address': '10.99.0.5' }] : [],
            },
          ],
        },
      }),
      `${name}-${n++}.json`,
    );
  const from = `dhcpd:${primary},dhcpd:${secondary}`;

  it('prints one document keyed by server name (the conf file names), exit 0', async () => {
    const r = await runCli(['migrate', '--from', from]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(parseCommented(r.stdout, 'stdout') as object), ['p', 's']);
  });
  it('exit 1 naming why when the dhcpd pair is inconsistent; exit 2 on bad input', async () => {
    const r = await runCli(['migrate', '--from', `dhcpd:${primary},dhcpd:${file(confText('secondary', { role: 'primary' }))}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /primary/);
    assert.equal(r.stdout, '');
    assert.equal((await runCli(['migrate', '--from', `kea:${primary}`])).code, 2);
    assert.equal((await runCli(['migrate', '--from', from, '--merge', 'a.json,b.json'])).code, 2);
  });
  it('--out-dir writes one file per server and never replaces a different one', async () => {
    const out = join(dir, 'out');
    assert.equal((await runCli(['migrate', '--from', from, '--out-dir', out])).code, 0);
    assert.equal((await runCli(['migrate', '--from', from, '--out-dir', out])).code, 0, 'the same content again is fine');
    assert.ok(readFileSync(join(out, 'p.json'), 'utf8').includes('"this-server-name": "p"'));
    const r = await runCli(['migrate', '--from', from, '--out-dir', out, '--ha-port', '8111']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exists with other content/);
  });
  it('--merge puts the hooks into each keama Dhcp4', async () => {
    const k = file('{\n  # keama\n  "Dhcp4": { "subnet4": [], }\n}\n', 'k.json');
    const out = join(dir, 'merged');
    assert.equal((await runCli(['migrate', '--from', from, '--out-dir', out, '--merge', `${k},${k}`])).code, 0);
    const doc = parseCommented(readFileSync(join(out, 's.json'), 'utf8'), 's') as { Dhcp4: { 'hooks-libraries': unknown[]; subnet4: unknown[] } };
    assert.equal(doc.Dhcp4['hooks-libraries'].length, 2);
    assert.deepEqual(doc.Dhcp4.subnet4, []);
  });
  it('--to: exit 0 when the Kea pair serves the same; exit 1 naming a lost pool range, reservation or subnet id', async () => {
    const good = await runCli([
      'migrate',
      '--from',
      from,
      '--to',
      `kea-config:${kea('p', 1, '10.99.0.100 - 10.99.0.200')},kea-config:${kea('s', 1, '10.99.0.100 - 10.99.0.200')}`,
    ]);
    assert.equal(good.code, 0, good.stderr);
    const bad = await runCli([
      'migrate',
      '--from',
      from,
      '--to',
      `kea-config:${kea('p', 1, '10.99.0.100 - 10.99.0.200')},kea-config:${kea('s', 2, '10.99.0.100 - 10.99.0.150', false)}`,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /subnet 10\.99\.0\.0\/24: subnet ids differ: 1 on p, 2 on s/);
    assert.match(bad.stderr, /pool range 10\.99\.0\.100-10\.99\.0\.200 not served by s \(missing 10\.99\.0\.151-10\.99\.0\.200\)/);
    assert.match(bad.stderr, /host h1 \(fixed-address 10\.99\.0\.5\) has no reservation on s/);
    const more = await runCli([
      'migrate',
      '--from',
      from,
      '--to',
      `kea-config:${kea('p', 1, '10.99.0.50 - 10.99.0.200')},kea-config:${kea('s', 1, '10.99.0.100 - 10.99.0.200')}`,
    ]);
    assert.equal(more.code, 0);
    assert.match(more.stderr, /warning: subnet 10\.99\.0\.0\/24: p serves 10\.99\.0\.50-10\.99\.0\.99/);
  });
});

describe('migrate: keama output made acceptable to Kea 2.6 and 3.0', () => {
  it('replaces "reservation-mode" by its documented equivalent, at every level, saying so', async () => {
    const { replaceReservationMode } = await import('../../../src/migrate/run.js');
    const seen: string[] = [];
    const out = plain(replaceReservationMode({ 'reservation-mode': 'global', subnet4: [{ id: 1, 'reservation-mode': 'out-of-pool' }] }, (m) => seen.push(m)));
    assert.deepEqual(out, {
      'reservations-global': true,
      'reservations-in-subnet': false,
      subnet4: [{ id: 1, 'reservations-in-subnet': true, 'reservations-out-of-pool': true }],
    });
    assert.deepEqual(seen, ['global', 'out-of-pool']);
  });
});
