import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKeaConfigFile } from '../../../../src/sources/kea/config-file.js';
import { readHaRelationships, stripUserinfo } from '../../../../src/sources/kea/ha-config.js';

const SECRET = 'pw-Zq7-never-shown';

const full = {
  'this-server-name': 'server1',
  mode: 'hot-standby',
  'heartbeat-delay': 1000,
  'max-response-delay': 5000,
  'max-ack-delay': 4000,
  'max-unacked-clients': 5,
  'max-rejected-lease-updates': 7,
  'delayed-updates-limit': 0,
  'sync-timeout': 30000,
  'sync-page-limit': 500,
  'send-lease-updates': true,
  'sync-leases': false,
  'wait-backup-ack': false,
  'trust-anchor': '/etc/kea/ca.pem',
  'cert-file': '/etc/kea/cert.pem',
  'key-file': '/etc/kea/key.pem',
  'require-client-certs': false,
  'restrict-commands': true,
  'multi-threading': { 'enable-multi-threading': true, 'http-dedicated-listener': true, 'http-listener-threads': 4, 'http-client-threads': 2 },
  peers: [
    { name: 'server1', url: 'https://127.0.0.1:8001', role: 'primary', 'auto-failover': true },
    {
      name: 'server2',
      url: 'https://127.0.0.2:8002/',
      role: 'standby',
      'auto-failover': false,
      'trust-anchor': '',
      'cert-file': '/etc/kea/peer-cert.pem',
      'key-file': '/etc/kea/peer-key.pem',
      'basic-auth-user': 'kea',
      'basic-auth-password': SECRET,
    },
    { name: 'server3', url: 'http://kea:' + SECRET + '@127.0.0.3:8003/', role: 'backup', 'basic-auth-user': '', 'basic-auth-password-file': '/etc/kea/pw' },
  ],
};

describe('readHaRelationships', () => {
  it('keeps every setting the HA rules need, verbatim', () => {
    const notes: string[] = [];
    const [rel, ...rest] = readHaRelationships([full], notes);
    assert.equal(rest.length, 0);
    assert.deepEqual(notes, []);
    assert.deepEqual(rel, {
      thisServerName: 'server1',
      mode: 'hot-standby',
      peers: [
        // Not normalised: Kea quotes the URL exactly as written.
        { name: 'server1', url: 'https://127.0.0.1:8001', role: 'primary', autoFailover: true },
        {
          name: 'server2',
          url: 'https://127.0.0.2:8002/',
          role: 'standby',
          autoFailover: false,
          trustAnchor: '',
          certFile: '/etc/kea/peer-cert.pem',
          keyFile: '/etc/kea/peer-key.pem',
          basicAuthUser: true,
          basicAuthPassword: true,
        },
        { name: 'server3', url: 'http://127.0.0.3:8003/', role: 'backup', urlHadUserinfo: true, basicAuthPasswordFile: '/etc/kea/pw' },
      ],
      heartbeatDelayMs: 1000,
      maxResponseDelayMs: 5000,
      maxAckDelayMs: 4000,
      maxUnackedClients: 5,
      maxRejectedLeaseUpdates: 7,
      delayedUpdatesLimit: 0,
      syncTimeoutMs: 30000,
      syncPageLimit: 500,
      sendLeaseUpdates: true,
      syncLeases: false,
      waitBackupAck: false,
      trustAnchor: '/etc/kea/ca.pem',
      certFile: '/etc/kea/cert.pem',
      keyFile: '/etc/kea/key.pem',
      requireClientCerts: false,
      restrictCommands: true,
      multiThreading: { enableMultiThreading: true, httpDedicatedListener: true, httpListenerThreads: 4, httpClientThreads: 2 },
    });
  });

  it('never keeps a password, from the peer or from its URL', () => {
    const notes: string[] = [];
    const rels = readHaRelationships([full, { ...full, 'this-server-name': 7 }], notes);
    assert.ok(!JSON.stringify(rels).includes(SECRET));
    assert.ok(!notes.join('\n').includes(SECRET));
  });

  it('leaves out values of the wrong type, naming the parameter but not the value', () => {
    const notes: string[] = [];
    const [rel] = readHaRelationships(
      [
        {
          'this-server-name': 'server1',
          mode: 'hot-standby',
          'heartbeat-delay': '1000',
          'sync-leases': 'yes',
          'multi-threading': { 'http-client-threads': 'many' },
          peers: [{ name: 'server1', url: 'http://127.0.0.1:8001/', role: 3, 'basic-auth-user': { x: SECRET } }],
        },
      ],
      notes,
    );
    assert.equal(rel!.heartbeatDelayMs, undefined);
    assert.equal(rel!.syncLeases, undefined);
    assert.deepEqual(rel!.multiThreading, {});
    assert.deepEqual(rel!.peers, [{ name: 'server1', url: 'http://127.0.0.1:8001/', role: 'unknown' }]);
    assert.deepEqual(notes, [
      'Peer "server1" has a role that is not a string; ignored (Kea refuses it).',
      'Peer "server1" has a basic-auth-user that is not a string; ignored (Kea refuses it).',
      'HA relationship "server1" has a heartbeat-delay that is not a number; ignored (Kea refuses it).',
      'HA relationship "server1" has a sync-leases that is not a boolean; ignored (Kea refuses it).',
      'The multi-threading of HA relationship "server1" has a http-client-threads that is not a number; ignored (Kea refuses it).',
    ]);
  });

  it('says when peers is missing or not a list, and drops peers without a name or url', () => {
    const notes: string[] = [];
    const rels = readHaRelationships(
      [
        { 'this-server-name': 'a', mode: 'hot-standby' },
        { 'this-server-name': 'b', mode: 'hot-standby', peers: { name: 'x' } },
        { 'this-server-name': 'c', peers: [{ name: 'c' }, 'x', { name: 'c', url: 'http://127.0.0.1:1/', role: 'primary' }] },
      ],
      notes,
    );
    assert.deepEqual(
      rels.map((r) => [r.thisServerName, r.mode, r.peersProblem, r.peers.length]),
      [
        ['a', 'hot-standby', 'missing', 0],
        ['b', 'hot-standby', 'not-list', 0],
        ['c', 'unknown', undefined, 1],
      ],
    );
    assert.deepEqual(notes, [
      'A peer of HA relationship "c" without a name or url was ignored.',
      'A peer of HA relationship "c" without a name or url was ignored.',
    ]);
  });

  it('notes a high-availability that is not a list, and a relationship without this-server-name', () => {
    const notes: string[] = [];
    assert.deepEqual(readHaRelationships({ mode: 'hot-standby' }, notes), []);
    assert.deepEqual(readHaRelationships([{ mode: 'hot-standby' }, 'x'], notes), []);
    assert.deepEqual(readHaRelationships(undefined, notes), []);
    assert.deepEqual(notes, [
      'The HA hook parameters have a high-availability that is not a list.',
      'An HA relationship without this-server-name was ignored.',
      'An HA relationship without this-server-name was ignored.',
    ]);
  });

  it("reads the real Kea example's relationship", () => {
    const dhcp4 = readKeaConfigFile('/work/shared/fixtures/kea/ha-load-balancing-primary.json').Dhcp4;
    const hooks = dhcp4['hooks-libraries'] as { parameters?: Record<string, unknown> }[];
    const [rel] = readHaRelationships(hooks[1]!.parameters!['high-availability'], []);
    assert.deepEqual(rel, {
      thisServerName: 'server1',
      mode: 'load-balancing',
      peers: [
        { name: 'server1', url: 'http://192.168.56.33:8000/', role: 'primary' },
        { name: 'server2', url: 'http://192.168.56.66:8000/', role: 'secondary' },
      ],
      heartbeatDelayMs: 10000,
      maxResponseDelayMs: 60000,
      maxAckDelayMs: 5000,
      maxUnackedClients: 5,
      syncTimeoutMs: 60000,
    });
  });
});

describe('stripUserinfo', () => {
  const rows: [string, string, boolean][] = [
    ['http://kea:pw@127.0.0.1:8000/', 'http://127.0.0.1:8000/', true],
    ['http://kea@[::1]:8000/', 'http://[::1]:8000/', true],
    ['http://a:b@c@10.0.0.1/', 'http://10.0.0.1/', true],
    ['http://127.0.0.1:8000', 'http://127.0.0.1:8000', false],
    ['http://127.0.0.1:8000/x@y', 'http://127.0.0.1:8000/x@y', false],
    ['not a url', 'not a url', false],
  ];
  for (const [input, url, hadUserinfo] of rows) it(input, () => assert.deepEqual(stripUserinfo(input), { url, hadUserinfo }));
});
