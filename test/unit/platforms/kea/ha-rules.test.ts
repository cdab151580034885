import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haConfigErrors, haConfigFindings, parseKeaUrl } from '../../../../src/platforms/kea/ha-rules.js';
import { readHaRelationships } from '../../../../src/sources/kea/ha-config.js';
import { CASES, HEALTHY, VERSIONS, type Ports } from '../../../helpers/kea-ha-cases.js';

const PORTS: Ports = { p1: 18001, p3: 18003 };

function findings(ha: unknown[], version?: { major: number; minor: number }) {
  const notes: string[] = [];
  const rels = readHaRelationships(ha, notes);
  return haConfigFindings(rels, version ? { version } : {});
}

describe("haConfigFindings: one row per rule, in Kea's words (first finding = what Kea prints)", () => {
  for (const [label, version] of Object.entries(VERSIONS)) {
    describe(`Kea ${label}`, () => {
      for (const c of [...HEALTHY, ...CASES]) {
        it(c.rule, () => {
          const got = findings(c.ha(PORTS), version);
          const want = c.expect(version, PORTS);
          if (want === null) assert.deepEqual(got, []);
          else assert.equal(got[0]?.message, want);
        });
      }
    });
  }

  it('judges an unknown version by the newest rules (2.6 and later)', () => {
    const twoRels = CASES.find((c) => c.rule === 'two hot-standby relationships (hub-and-spoke)')!;
    assert.deepEqual(findings(twoRels.ha(PORTS)), []);
  });
});

describe('haConfigFindings: several problems at once', () => {
  it('reports them all, in the order Kea meets them', () => {
    const ha = [
      {
        'this-server-name': 'server1',
        mode: 'hot-standby',
        'heartbeat-delay': 70000,
        'delayed-updates-limit': 3,
        peers: [
          { name: 'server2', url: 'http://localhost:8002/', role: 'primary' },
          { name: 'server1', url: 'https://127.0.0.1:8001/', role: 'primary' },
        ],
      },
    ];
    assert.deepEqual(
      findings(ha, VERSIONS['2.2']).map((f) => f.message),
      [
        "'heartbeat-delay' must not be greater than 65535",
        // validate() meets peers in name order: server1 before server2.
        "bad url 'https://127.0.0.1:8001/': https scheme is not supported for server server1 where TLS is disabled",
        "bad url 'http://localhost:8002/': Failed to convert string to address 'localhost': Invalid argument for server server2",
        'multiple primary servers specified',
        'standby server required in the hot standby configuration',
        "'delayed-updates-limit' must be set to 0 in the hot standby configuration",
      ],
    );
  });

  it('a peer with its own complete TLS files does not need the relationship ones', () => {
    const tls = { 'trust-anchor': '/ca.pem', 'cert-file': '/c.pem', 'key-file': '/k.pem' };
    const ha = [
      {
        'this-server-name': 'server1',
        mode: 'hot-standby',
        peers: [
          { name: 'server1', url: 'https://127.0.0.1:8001/', role: 'primary', ...tls },
          { name: 'server2', url: 'https://[::1]:8002/', role: 'standby', ...tls },
        ],
      },
    ];
    assert.deepEqual(findings(ha), []);
    // An empty peer value is "set": it does not fall back to the relationship's.
    const rel = { ...ha[0]!, ...tls, peers: [{ ...ha[0]!.peers[0]!, 'key-file': '' }, ha[0]!.peers[1]!] };
    assert.deepEqual(
      findings([rel]).map((f) => f.message),
      ['bad TLS config for server server1: key-file parameter is missing or empty: all or none of TLS parameters must be set'],
    );
  });
});

describe('haConfigErrors', () => {
  it("prefixes a relationship's findings with its this-server-name, list-wide ones not", () => {
    const two = CASES.find((c) => c.rule === 'two relationships, one load balancing')!;
    const mixed = [...two.ha(PORTS), { 'this-server-name': 'server5', mode: 'hot-standby', peers: [] }];
    const rels = readHaRelationships(mixed, []);
    assert.deepEqual(haConfigErrors(rels, { version: { major: 3, minor: 0 } }), [
      'HA relationship "server5": no peer configuration specified for the \'server5\'',
      'HA relationship "server5": standby server required in the hot standby configuration',
      'HA relationship "server5": primary server required in the hot standby configuration',
      "multiple HA relationships are only supported for 'hot-standby' mode",
    ]);
  });
});

describe("parseKeaUrl (Kea's src/lib/http/url.cc)", () => {
  const rows: [string, ReturnType<typeof parseKeaUrl>][] = [
    ['http://127.0.0.1:8000/', { scheme: 'http', host: '127.0.0.1' }],
    ['https://[2001:db8::1]:8000/', { scheme: 'https', host: '[2001:db8::1]' }],
    ['http://10.0.0.1', { scheme: 'http', host: '10.0.0.1' }],
    ['http://', { error: 'hostname missing in http://' }],
    ['http:/x', { error: 'expected :// after scheme in http:/x' }],
    [':8000', { error: 'url :8000 lacks http or https scheme' }],
    ['http://[::1/', { error: 'expected ] after IPv6 address in http://[::1/' }],
    ['http://[]:80/', { error: 'expected IPv6 address within [] in http://[]:80/' }],
    ['http://10.0.0.1:', { error: 'expected port number after : in http://10.0.0.1:' }],
  ];
  for (const [url, want] of rows) it(url, () => assert.deepEqual(parseKeaUrl(url), want));
});
