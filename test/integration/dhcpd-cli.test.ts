import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messages } from '../../src/checks/messages.js';
import { ReportSchema } from '../../src/report/schema.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { pairConf, startDhcpdPair, type DhcpdPair, type PairKey } from '../helpers/dhcpd-pair.js';
import { startHostileOmapi, type HostileOmapi, type OmapiBehaviour } from '../helpers/hostile-omapi.js';

// The built CLI, run inside the namespace of a real ISC dhcpd failover pair (REAL-SERVERS.md),
// with `dhcpd:<conf>` sources: the pair as it runs, then declarations people really get wrong,
// each failing its own check. NTP does not run in the namespace: `time` is left out where the
// exit code is asserted.

const SECRET = Buffer.from('dhcpd-cli-test-secret-0123456789');
const KEY: PairKey = { name: 'omapi_key', secret: SECRET };
const SECRET_FORMS = [SECRET.toString('base64'), SECRET.toString('hex'), SECRET.toString('utf8')];

let pair: DhcpdPair;
let n = 0;

before(async () => {
  pair = await startDhcpdPair({ key: KEY });
  await pair.waitNormal();
});
after(async () => {
  await pair?.stopAll();
});

function conf(text: string): string {
  const p = join(pair.dir, `variant-${n++}.conf`);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
}

interface Run {
  r: CliRun;
  by: (id: string) => ReturnType<typeof ReportSchema.parse>['checks'][number];
}

async function run(local: string, partner: string, extra: string[] = []): Promise<Run> {
  const r = await runCli(
    ['127.0.0.2', '--local-source', `dhcpd:${local}`, '--partner-source', `dhcpd:${partner}`, '--format', 'json', '--timeout', '2s', ...extra],
    { netns: pair.netns },
  );
  for (const s of SECRET_FORMS) assert.ok(!`${r.stdout}${r.stderr}`.includes(s), 'the key secret appears in the output');
  if (r.code === 2) return { r, by: () => assert.fail(`exit 2: ${r.stderr}`) };
  const report = ReportSchema.parse(JSON.parse(r.stdout));
  return { r, by: (id) => report.checks.find((c) => c.id === id)! };
}

const primary = () => pairConf('primary', { key: KEY });
const secondary = () => pairConf('secondary', { key: KEY });

describe('dhcpd:<conf> against a real dhcpd failover pair', () => {
  it('the healthy pair passes: live over OMAPI, declarations agree, the key in no output', async () => {
    const { r, by } = await run(pair.primary.confPath, pair.secondary.confPath, ['--skip', 'time']);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(by('service').code, 'service.running');
    assert.match(String(by('service').details.state), /dhcpd answers on OMAPI 127\.0\.0\.2:7912/);
    assert.equal(by('permissions').code, 'permissions.allowed');
    assert.equal(by('version').code, 'version.supported');
    assert.equal(by('relationships').code, 'relationships.already-paired');
    assert.equal(by('scopes').code, 'scopes.same-on-both');
    assert.equal(by('peers').code, 'peers.agree');
    assert.match(by('peers').message, /OMAPI: normal\/normal$/);
    // The local declaration's peer port, where the secondary listens.
    assert.equal(by('reachability').code, 'reachability.reachable');
    assert.equal(by('reachability').details.port, 847);
    // The human report holds no secret either.
    const human = await runCli(
      ['127.0.0.2', '--local-source', `dhcpd:${pair.primary.confPath}`, '--partner-source', `dhcpd:${pair.secondary.confPath}`, '-v', '--skip', 'time'],
      { netns: pair.netns },
    );
    assert.equal(human.code, 0, human.stdout);
    for (const s of SECRET_FORMS) assert.ok(!`${human.stdout}${human.stderr}`.includes(s));
    // Every check: all pass but ip (a loopback partner warns) and time (no NTP in the namespace).
    const all = await runCli(
      [
        '127.0.0.2',
        '--local-source',
        `dhcpd:${pair.primary.confPath}`,
        '--partner-source',
        `dhcpd:${pair.secondary.confPath}`,
        '--format',
        'json',
        '--timeout',
        '1s',
      ],
      { netns: pair.netns },
    );
    const report = ReportSchema.parse(JSON.parse(all.stdout));
    const notPassing = report.checks.filter((c) => c.status !== 'pass').map((c) => c.code);
    assert.deepEqual(notPassing, [
      'ip.lab-address',
      'time.clock-unread',
      'authorization.not-applicable',
      'static-address.not-known',
      'replication.not-applicable',
      'dns-updates.not-applicable',
    ]);
    assert.equal(all.code, 3);
  });

  const mclt = '  mclt 600;\n';
  const rows: [string, () => [string, string], string, RegExp][] = [
    [
      'both secondary',
      () => [primary().replace('  primary;', '  secondary;').replace(mclt, '').replace('  split 128;\n', ''), secondary()],
      'peers',
      /both servers are declared secondary for "dhcp-failover"/,
    ],
    [
      'both primary',
      () => [primary(), secondary().replace('  secondary;', `  primary;\n${mclt}  split 128;`)],
      'peers',
      /both servers are declared primary for "dhcp-failover"/,
    ],
    [
      'addresses not mirrored',
      () => [primary(), secondary().replace('peer address 127.0.0.1;', 'peer address 127.0.0.3;')],
      'peers',
      /the local server's address 127\.0\.0\.1 is not the partner's peer address 127\.0\.0\.3/,
    ],
    [
      'peer names differ',
      () => [primary(), secondary().replaceAll('"dhcp-failover"', '"dhcp-fo-2"')],
      'peers',
      /the peer names differ: "dhcp-failover" here \(.*\), "dhcp-fo-2" on the partner/,
    ],
    [
      'primary without mclt',
      () => [primary().replace(mclt, ''), secondary()],
      'peers',
      /dhcpd -t refuses the local conf: \/.*variant-\d+\.conf line \d+: primary failover server must have mclt\./,
    ],
    [
      'a pool on one side only',
      () => [primary() + 'subnet 10.98.0.0 netmask 255.255.255.0 { pool { failover peer "dhcp-failover"; range 10.98.0.10 10.98.0.20; } }\n', secondary()],
      'scopes',
      /10\.98\.0\.0\/24: the failover pool 10\.98\.0\.10-10\.98\.0\.20 \(.*\) is not on the partner as a failover pool of the same peer \(missing there, with its subnet\)/,
    ],
    [
      'another range',
      () => [primary(), secondary().replace('range 10.99.0.100 10.99.0.200;', 'range 10.99.0.100 10.99.0.150;')],
      'scopes',
      /failover pool ranges 10\.99\.0\.100-10\.99\.0\.200 here \(.*\), 10\.99\.0\.100-10\.99\.0\.150 on the partner/,
    ],
    [
      'dynamic BOOTP in a failover pool',
      () => [primary().replace('    range 10.99.0.100', '    allow dynamic bootp clients;\n    range 10.99.0.100'), secondary()],
      'scopes',
      /the local failover pool \(.*\) allows dynamic bootp clients/,
    ],
  ];
  for (const [what, make, check, want] of rows) {
    it(`broken declarations fail ${check}: ${what}`, async () => {
      const [l, p] = make();
      const { r, by } = await run(conf(l), conf(p), ['--only', 'peers,scopes']);
      const c = by(check);
      assert.equal(c.status, 'fail', `${c.code}: ${c.message}`);
      assert.equal(c.code, check === 'peers' ? 'peers.disagree' : 'scopes.not-identical');
      assert.match(c.message, want);
      if (check === 'scopes') assert.match(c.message, /^Following subnets are not configured identically on the specified partner server\./);
      assert.equal(r.code, 1);
    });
  }

  it('ports not mirrored only warn: the real pair still reaches normal (the pair oracle)', async () => {
    const { r, by } = await run(conf(primary()), conf(secondary().replace('peer port 647;', 'peer port 648;')), ['--only', 'peers']);
    assert.equal(by('peers').code, 'peers.attention', by('peers').message);
    assert.match(by('peers').message, /the local server's port 647 is not the partner's peer port 648/);
    assert.equal(r.code, 0);
  });

  it('confs the running daemons do not run (a peer name they do not know): peers warns for each side', async () => {
    const rename = (t: string) => t.replaceAll('"dhcp-failover"', '"next-pair"');
    const { r, by } = await run(conf(rename(primary())), conf(rename(secondary())), ['--only', 'peers,service']);
    assert.equal(by('peers').code, 'peers.attention', by('peers').message);
    assert.match(
      by('peers').message,
      /the local server's running dhcpd has no failover peer "next-pair" \(OMAPI: not found\).*; the partner server's running dhcpd has no failover peer "next-pair"/,
    );
    assert.equal(by('service').code, 'service.running');
    assert.equal(r.code, 0);
  });

  it('a conf split over includes reads as one', async () => {
    const text = primary();
    const cut = text.indexOf('subnet ');
    const peer = conf(text.slice(0, cut));
    const subnets = conf(text.slice(cut));
    const main = conf(`include "${peer}";\ninclude "${subnets}";\n`);
    const { by } = await run(main, pair.secondary.confPath, ['--only', 'peers,scopes,service']);
    assert.equal(by('peers').code, 'peers.agree', by('peers').message);
    assert.equal(by('scopes').code, 'scopes.same-on-both', by('scopes').message);
  });

  it('a syntax error is exit 2 naming the file and line', async () => {
    const bad = conf(secondary().replace('  peer port 647;', '  peer port 647'));
    const { r } = await run(pair.primary.confPath, bad);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${bad.replaceAll('/', '\\/').replaceAll('.', '\\.')} line \\d+: `));
  });

  it('OMAPI with a wrong key: permissions fails with the documented message; the service still answers', async () => {
    const wrong = Buffer.from('another-secret-another-secret-00');
    const keyFile = conf(`key omapi_key { algorithm hmac-md5; secret "${wrong.toString('base64')}"; };\n`);
    const { r, by } = await run(pair.primary.confPath, pair.secondary.confPath, ['--only', 'permissions,service', '--omapi-key-file', keyFile]);
    assert.equal(by('permissions').code, 'permissions.denied');
    assert.equal(by('permissions').message, messages.permissions());
    assert.match(JSON.stringify(by('permissions').details), /refused the key \\"omapi_key\\" \(wrong secret\)/);
    assert.equal(by('service').code, 'service.running');
    assert.ok(!r.stdout.includes(wrong.toString('base64')));
    // No key at all where dhcpd requires one: the same refusal.
    const keyless = conf(secondary().replace(/key omapi_key \{[^}]*\};\nomapi-key omapi_key;\n/, ''));
    const k = await run(pair.primary.confPath, keyless, ['--only', 'permissions']);
    assert.equal(k.by('permissions').code, 'permissions.denied');
    // The same keyless conf with the right key kept outside it (--omapi-key-file): allowed.
    const rightKey = conf(`key omapi_key { algorithm hmac-md5; secret "${SECRET.toString('base64')}"; };\n`);
    const ok = await run(pair.primary.confPath, keyless, ['--only', 'permissions,service', '--omapi-key-file', rightKey]);
    assert.equal(ok.by('permissions').code, 'permissions.allowed');
    assert.match(String(ok.by('permissions').details.user), /OMAPI key "omapi_key" \(key file\)/);
  });

  it('the partner daemon stopped: before deploy by default (nothing answers its OMAPI); --phase live: service fails with the documented message; the primary leaves normal (peers fails: peers.ha-not-operating)', async () => {
    await pair.stop('secondary');
    const auto = await run(pair.primary.confPath, pair.secondary.confPath, ['--only', 'service,permissions']);
    assert.equal(auto.by('service').code, 'service.before-deploy');
    assert.equal(auto.by('permissions').code, 'permissions.before-deploy');
    const { by } = await run(pair.primary.confPath, pair.secondary.confPath, ['--only', 'service,permissions', '--phase', 'live']);
    assert.equal(by('service').code, 'service.not-running');
    assert.equal(by('service').message, messages.service());
    assert.match(String(by('service').details.state), /nothing listens on OMAPI 127\.0\.0\.2:7912 \(the conf's omapi-port\): connection refused/);
    assert.equal(by('permissions').code, 'permissions.not-known');
    let peers: ReturnType<Awaited<ReturnType<typeof run>>['by']> | undefined;
    for (let i = 0; i < 20; i++) {
      peers = (await run(pair.primary.confPath, pair.secondary.confPath, ['--only', 'peers'])).by('peers');
      if (peers.status === 'fail') break;
      await new Promise((res) => setTimeout(res, 500));
    }
    assert.equal(peers!.code, 'peers.ha-not-operating', peers!.message);
    assert.match(
      peers!.message,
      /the local dhcpd's failover "dhcp-failover" is (communications-interrupted|partner-down) \(.*\), and last heard of the other server as /,
    );
  });
});

describe('dhcpd:<conf> with a hostile OMAPI peer', () => {
  const servers: HostileOmapi[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const cases: [OmapiBehaviour, RegExp][] = [
    ['silent', /no answer within 1000 ms/],
    ['garbage', /not an OMAPI server/],
    ['huge-value', /refused: /],
  ];
  for (const [behaviour, words] of cases) {
    it(`${behaviour}: service and permissions unknown within --timeout, the cause named`, async () => {
      const s = await startHostileOmapi(behaviour, '127.0.0.2');
      servers.push(s);
      const partner = join(pair.dir, `hostile-${behaviour}.conf`);
      writeFileSync(partner, secondary().replace('omapi-port 7912;', `omapi-port ${s.port};`));
      const r = await runCli(['127.0.0.2', '--partner-source', `dhcpd:${partner}`, '--only', 'service,permissions', '--format', 'json', '--timeout', '1s']);
      const report = ReportSchema.parse(JSON.parse(r.stdout));
      const by = (id: string) => report.checks.find((c) => c.id === id)!;
      assert.equal(r.code, 3);
      assert.equal(by('service').code, 'service.state-unknown');
      assert.equal(by('permissions').code, 'permissions.not-known');
      assert.match(JSON.stringify(by('service').details), words);
      assert.ok(r.wallMs < 4000, `${r.wallMs} ms`);
      for (const f of SECRET_FORMS) assert.ok(!`${r.stdout}${r.stderr}`.includes(f));
    });
  }
});
