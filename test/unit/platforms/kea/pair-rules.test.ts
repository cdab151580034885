import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerFacts } from '../../../../src/facts.js';
import { keaPairFindings } from '../../../../src/platforms/kea/pair-rules.js';
import type { KeaHaRelationship, KeaHaStatus } from '../../../../src/sources/kea/types.js';

// The Kea pair rules on hand-made facts; each rule's truth is held to real pairs by
// test/integration/pair-oracle.test.ts.

const S1 = 'http://127.0.0.1:8101/';
const S2 = 'http://127.0.0.2:8102/';
const rel = (self: string, extra: Partial<KeaHaRelationship> = {}): KeaHaRelationship => ({
  thisServerName: self,
  mode: 'hot-standby',
  heartbeatDelayMs: 1000,
  maxResponseDelayMs: 5000,
  peers: [
    { name: 'server1', url: S1, role: 'primary' },
    { name: 'server2', url: S2, role: 'standby' },
  ],
  ...extra,
});
function server(
  r: KeaHaRelationship,
  opts: { version?: string; hooks?: string[]; status?: KeaHaStatus; kea?: Partial<NonNullable<ServerFacts['kea']>> } = {},
): ServerFacts {
  const f: ServerFacts = {
    source: `test ${r.thisServerName}`,
    platform: 'kea',
    kea: {
      clock: [],
      haHookLoaded: true,
      leaseCmdsHookLoaded: true,
      haConfigured: true,
      haRelationships: [r],
      hooks: opts.hooks ?? ['libdhcp_lease_cmds.so', 'libdhcp_ha.so'],
      ...(opts.status ? { haStatus: [opts.status] } : {}),
      ...opts.kea,
    },
  };
  if (opts.version) {
    const [major, minor, build] = opts.version.split('.').map(Number) as [number, number, number];
    f.version = { product: 'Kea', major, minor, build, text: opts.version };
  }
  return f;
}
const codes = (l: ServerFacts, p: ServerFacts) => keaPairFindings({ local: l, partner: p }).map((f) => `${f.code}:${f.level}`);

describe('Kea pair rules', () => {
  let dir: string;
  const pem = (n: string) => join(dir, `${n}.pem`);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pair-rules-'));
    const o = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'pipe' });
    for (const ca of ['caA', 'caB'])
      o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.pem`);
    for (const [n, ca] of [
      ['s1', 'caA'],
      ['s2', 'caA'],
      ['s2b', 'caB'],
    ]) {
      o('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${n}`, '-keyout', `${n}.key`, '-out', `${n}.csr`);
      o('x509', '-req', '-in', `${n}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-out', `${n}.pem`);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const tls = (self: string, ca: string, cert: string, extra: Partial<KeaHaRelationship> = {}) =>
    rel(self, { trustAnchor: pem(ca), certFile: pem(cert), keyFile: join(dir, `${cert}.key`), ...extra });

  it('a healthy pair has no finding', () => assert.deepEqual(codes(server(rel('server1')), server(rel('server2'))), []));
  it("TLS on one side only fails (ISC's load-balancing example pair)", () => {
    const f = keaPairFindings({ local: server(tls('server1', 'caA', 's1', { requireClientCerts: true })), partner: server(rel('server2')) });
    assert.deepEqual(
      f.map((x) => x.code),
      ['tls-one-side'],
    );
    assert.match(f[0]!.text, /^TLS is configured on the local server only/);
  });
  it('TLS on both from one CA passes; from unrelated CAs fails both ways; require-client-certs false spares one direction', () => {
    assert.deepEqual(codes(server(tls('server1', 'caA', 's1')), server(tls('server2', 'caA', 's2'))), []);
    assert.deepEqual(codes(server(tls('server1', 'caA', 's1')), server(tls('server2', 'caB', 's2b'))), [
      'tls-untrusted:fail',
      'tls-untrusted:fail',
      'tls-untrusted:fail',
      'tls-untrusted:fail',
    ]);
    const f = keaPairFindings({
      local: server(tls('server1', 'caA', 's1', { requireClientCerts: false })),
      partner: server(tls('server2', 'caB', 's2b', { requireClientCerts: false })),
    });
    assert.equal(f.length, 2);
    assert.match(
      f[0]!.text,
      /the local server does not trust the partner server's certificate: .*s2b\.pem \(issuer CN=caB\) is not signed by any certificate in .*caA\.pem/,
    );
  });
  it('hook libraries outside the default directory: fail from 2.7.9 and 2.6.3 (and for an unknown version), not before', () => {
    const hooks = ['/opt/kea/libdhcp_lease_cmds.so', 'libdhcp_ha.so'];
    assert.deepEqual(codes(server(rel('server1'), { hooks }), server(rel('server2'))), ['hook-path:fail']);
    assert.deepEqual(codes(server(rel('server1'), { hooks, version: '3.0.4' }), server(rel('server2'))), ['hook-path:fail']);
    assert.deepEqual(codes(server(rel('server1'), { hooks, version: '2.6.1' }), server(rel('server2'))), []);
    assert.deepEqual(codes(server(rel('server1'), { hooks, version: '2.6.3' }), server(rel('server2'))), ['hook-path:fail']);
    assert.deepEqual(codes(server(rel('server1'), { hooks, version: '2.7.8' }), server(rel('server2'))), []);
    assert.deepEqual(
      codes(server(rel('server1'), { hooks: ['/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_ha.so'], version: '3.0.4' }), server(rel('server2'))),
      [],
    );
  });
  it("the dedicated listener on the HTTP control socket's port fails", () => {
    assert.deepEqual(codes(server(rel('server1')), server(rel('server2'), { kea: { controlSockets: [{ address: '127.0.0.2', port: 8102 }] } })), [
      'port-collision:fail',
    ]);
  });
  it('timers: max-response-delay not above heartbeat-delay warns (the pair forms); different timers warn', () => {
    assert.deepEqual(codes(server(rel('server1', { maxResponseDelayMs: 700 })), server(rel('server2', { maxResponseDelayMs: 700 }))), [
      'timers-unsafe:warn',
      'timers-unsafe:warn',
    ]);
    const f = keaPairFindings({ local: server(rel('server1')), partner: server(rel('server2', { heartbeatDelayMs: 1500 })) });
    assert.deepEqual(
      f.map((x) => x.code),
      ['timers-differ'],
    );
    assert.match(f[0]!.text, /heartbeat-delay 1000 here, 1500 on the partner/);
  });
  it("multi-threading on one side only: fails unless a Control Agent listens on the other side's URL port", () => {
    const off = rel('server2', { multiThreading: { enableMultiThreading: false } });
    assert.deepEqual(codes(server(rel('server1')), server(off)), ['listener-mismatch:fail']);
    const agent = { kind: 'control-agent' as const, url: S2, host: '127.0.0.2', port: 8102, tls: false, httpPort: 8102 };
    assert.deepEqual(codes(server(rel('server1')), server(off, { kea: { agent } })), ['listener-mismatch:warn']);
    // Kea 2.2's defaults (no MT) on both sides agree.
    assert.deepEqual(codes(server(rel('server1'), { version: '2.2.0' }), server(rel('server2'), { version: '2.2.0' })), []);
  });
  it('2.6 against 3.0 warns that the pair loses updates; the same release does not', () => {
    assert.deepEqual(codes(server(rel('server1'), { version: '2.6.3' }), server(rel('server2'), { version: '3.0.4' })), ['versions-lose-updates:warn']);
    assert.deepEqual(codes(server(rel('server1'), { version: '3.0.4' }), server(rel('server2'), { version: '3.0.1' })), []);
  });
  it('live states: operating passes, syncing warns, partner-down / waiting / terminated / interrupted fail naming the state', () => {
    const st = (localState: string, extra: Partial<KeaHaStatus> = {}) => ({ localState, remoteState: 'hot-standby', ...extra });
    assert.deepEqual(codes(server(rel('server1'), { status: st('hot-standby') }), server(rel('server2'), { status: st('hot-standby') })), []);
    assert.deepEqual(codes(server(rel('server1'), { status: st('syncing') }), server(rel('server2'))), ['ha-transition:warn']);
    for (const s of ['partner-down', 'waiting', 'terminated']) {
      const f = keaPairFindings({ local: server(rel('server1'), { status: st(s) }), partner: server(rel('server2')) });
      assert.deepEqual(
        f.map((x) => x.code),
        ['ha-not-operating'],
        s,
      );
      assert.match(f[0]!.text, new RegExp(`is in state ${s}: `));
      assert.match(f[0]!.evidence[0]!, new RegExp(`local status-get: state ${s}; its view of the partner: hot-standby`));
    }
    assert.deepEqual(codes(server(rel('server1'), { status: st('hot-standby', { communicationInterrupted: true }) }), server(rel('server2'))), [
      'ha-not-operating:fail',
    ]);
    // Both operating, but both as primary (each serves its own scope: both answer the clients).
    const both = codes(
      server(rel('server1'), { status: st('hot-standby', { localRole: 'primary', localScopes: ['server1'] }) }),
      server(rel('server2'), { status: st('hot-standby', { localRole: 'primary', localScopes: ['server2'] }) }),
    );
    assert.deepEqual(both, ['ha-not-operating:fail']);
    // With unsafe timers the interruption between heartbeats is the timers' (already warned) artefact.
    const fast = { maxResponseDelayMs: 700 };
    assert.deepEqual(codes(server(rel('server1', fast), { status: st('hot-standby', { communicationInterrupted: true }) }), server(rel('server2', fast))), [
      'timers-unsafe:warn',
      'timers-unsafe:warn',
    ]);
  });
});
