// One row per rule the Kea HA hook refuses a configuration for: the broken `high-availability`
// list and the exact text Kea prints for it, per Kea version. Shared by the unit test of
// platforms/kea/ha-rules and the integration test that feeds each row to a real kea-dhcp4.

export interface Version {
  major: number;
  minor: number;
}

export interface Ports {
  /** This server's HA URL port on 127.0.0.1 (2.6+ listens on it with its dedicated listener). */
  p1: number;
  /** The second relationship's own URL port (hub-and-spoke rows), on 127.0.0.3. */
  p3: number;
}

export interface HaCase {
  rule: string;
  /** The hook's `high-availability` parameter. */
  ha: (ports: Ports) => unknown[];
  /** Kea's first complaint on that version; null: Kea accepts it. */
  expect: (v: Version, ports: Ports) => string | null;
  /** Our own words, not Kea's: the integration test only checks that Kea refuses it. */
  oursOnly?: boolean;
}

const is22 = (v: Version) => v.major === 2 && v.minor < 6;

type Json = Record<string, unknown>;
const peer = (name: string, url: string, role: string, extra: Json = {}): Json => ({ name, url, role, ...extra });
const s1 = (p: Ports, role = 'primary', extra: Json = {}) => peer('server1', `http://127.0.0.1:${p.p1}/`, role, extra);
const s2 = (role: string, extra: Json = {}) => peer('server2', 'http://127.0.0.2:8002/', role, extra);
const s3 = (role: string) => peer('server3', 'http://127.0.0.4:8003/', role);

/** A relationship with fast timers so a healthy one settles quickly. */
const rel = (mode: string, peers: Json[], extra: Json = {}): Json => ({
  'this-server-name': 'server1',
  mode,
  'heartbeat-delay': 1000,
  'max-response-delay': 5000,
  'max-ack-delay': 5000,
  'max-unacked-clients': 5,
  peers,
  ...extra,
});
const hs = (p: Ports, extra: Json = {}) => rel('hot-standby', [s1(p), s2('standby')], extra);
/** A second, well-formed hot-standby relationship (hub-and-spoke) with its own names. */
const spoke = (p: Ports, mode = 'hot-standby', second = 'server4'): Json =>
  rel(
    mode,
    [peer('server3', `http://127.0.0.3:${p.p3}/`, 'primary'), peer(second, 'http://127.0.0.5:8005/', mode === 'load-balancing' ? 'secondary' : 'standby')],
    {
      'this-server-name': 'server3',
    },
  );

const always = (text: string) => () => text;

export const HEALTHY: HaCase[] = [
  { rule: 'hot-standby pair', ha: (p) => [hs(p)], expect: () => null },
  { rule: 'load-balancing pair with a backup', ha: (p) => [rel('load-balancing', [s1(p), s2('secondary'), s3('backup')])], expect: () => null },
  { rule: 'passive-backup with two backups', ha: (p) => [rel('passive-backup', [s1(p), s2('backup'), s3('backup')])], expect: () => null },
  {
    rule: 'hot-standby with TLS fields all empty (TLS off, http)',
    ha: (p) => [hs(p, { 'trust-anchor': '', 'cert-file': '', 'key-file': '' })],
    expect: () => null,
  },
];

export const CASES: HaCase[] = [
  // Roles (HAConfig::validate)
  { rule: 'two primaries', ha: (p) => [rel('hot-standby', [s1(p), s2('standby'), s3('primary')])], expect: always('multiple primary servers specified') },
  {
    rule: 'two secondaries',
    ha: (p) => [rel('load-balancing', [s1(p), s2('secondary'), s3('secondary')])],
    expect: always('multiple secondary servers specified'),
  },
  { rule: 'two standbys', ha: (p) => [rel('hot-standby', [s1(p), s2('standby'), s3('standby')])], expect: always('multiple standby servers specified') },
  {
    rule: 'standby in load balancing',
    ha: (p) => [rel('load-balancing', [s1(p), s2('secondary'), s3('standby')])],
    expect: always('standby servers not allowed in the load balancing configuration'),
  },
  {
    rule: 'load balancing without a secondary',
    ha: (p) => [rel('load-balancing', [s1(p), s2('backup')])],
    expect: always('secondary server required in the load balancing configuration'),
  },
  {
    rule: 'load balancing without a primary',
    ha: (p) => [rel('load-balancing', [s1(p, 'secondary'), s2('backup')])],
    expect: always('primary server required in the load balancing configuration'),
  },
  {
    rule: 'wait-backup-ack in load balancing',
    ha: (p) => [rel('load-balancing', [s1(p), s2('secondary')], { 'wait-backup-ack': true })],
    expect: always("'wait-backup-ack' must be set to false in the load balancing configuration"),
  },
  {
    rule: 'secondary in hot standby',
    ha: (p) => [rel('hot-standby', [s1(p), s2('standby'), s3('secondary')])],
    expect: always('secondary servers not allowed in the hot standby configuration'),
  },
  {
    rule: 'hot standby without a standby',
    ha: (p) => [rel('hot-standby', [s1(p), s2('backup')])],
    expect: always('standby server required in the hot standby configuration'),
  },
  {
    rule: 'hot standby without a primary',
    ha: (p) => [rel('hot-standby', [s1(p, 'standby'), s2('backup')])],
    expect: always('primary server required in the hot standby configuration'),
  },
  {
    rule: 'wait-backup-ack in hot standby',
    ha: (p) => [hs(p, { 'wait-backup-ack': true })],
    expect: always("'wait-backup-ack' must be set to false in the hot standby configuration"),
  },
  {
    rule: 'delayed-updates-limit in hot standby',
    ha: (p) => [hs(p, { 'delayed-updates-limit': 5 })],
    expect: always("'delayed-updates-limit' must be set to 0 in the hot standby configuration"),
  },
  {
    rule: 'secondary in passive backup',
    ha: (p) => [rel('passive-backup', [s1(p), s2('secondary')])],
    expect: always('secondary servers not allowed in the passive backup configuration'),
  },
  {
    rule: 'standby in passive backup',
    ha: (p) => [rel('passive-backup', [s1(p), s2('standby')])],
    expect: always('standby servers not allowed in the passive backup configuration'),
  },
  {
    rule: 'passive backup without a primary',
    ha: (p) => [rel('passive-backup', [s1(p, 'backup'), s2('backup')])],
    expect: always('primary server required in the passive backup configuration'),
  },
  {
    rule: 'delayed-updates-limit in passive backup',
    ha: (p) => [rel('passive-backup', [s1(p), s2('backup')], { 'delayed-updates-limit': 1 })],
    expect: always("'delayed-updates-limit' must be set to 0 in the passive backup configuration"),
  },
  // Names
  {
    rule: 'this-server-name not among the peers',
    ha: (p) => [hs(p, { 'this-server-name': 'server9' })],
    expect: always("no peer configuration specified for the 'server9'"),
  },
  { rule: 'this-server-name blank', ha: (p) => [hs(p, { 'this-server-name': '  ' })], expect: always("'this-server-name' value must not be empty") },
  {
    rule: 'a peer name twice',
    ha: (p) => [rel('hot-standby', [s1(p), s2('standby'), s2('standby')])],
    expect: always("peer with name 'server2' already specified"),
  },
  {
    rule: 'a blank peer name',
    ha: (p) => [rel('hot-standby', [s1(p), peer(' ', 'http://127.0.0.2:8002/', 'standby')])],
    expect: always('peer name must not be empty'),
  },
  // Values
  {
    rule: 'an unknown mode',
    ha: (p) => [rel('active-active', [s1(p), s2('standby')])],
    expect: always("unsupported value 'active-active' for mode parameter"),
  },
  { rule: 'an unknown role', ha: (p) => [rel('hot-standby', [s1(p), s2('master')])], expect: always("unsupported value 'master' for role parameter") },
  {
    rule: 'peers missing',
    ha: () => [{ 'this-server-name': 'server1', mode: 'hot-standby' }],
    expect: always("'peers' parameter missing in HA configuration"),
  },
  {
    rule: 'peers not a list',
    ha: () => [{ 'this-server-name': 'server1', mode: 'hot-standby', peers: {} }],
    expect: always("'peers' parameter must be a list"),
  },
  { rule: 'heartbeat-delay above 65535', ha: (p) => [hs(p, { 'heartbeat-delay': 65536 })], expect: always("'heartbeat-delay' must not be greater than 65535") },
  { rule: 'max-response-delay negative', ha: (p) => [hs(p, { 'max-response-delay': -1 })], expect: always("'max-response-delay' must not be negative") },
  { rule: 'max-ack-delay above 65535', ha: (p) => [hs(p, { 'max-ack-delay': 70000 })], expect: always("'max-ack-delay' must not be greater than 65535") },
  {
    rule: 'max-unacked-clients above 2^32-1',
    ha: (p) => [hs(p, { 'max-unacked-clients': 4294967296 })],
    expect: always("'max-unacked-clients' must not be greater than 4294967295"),
  },
  { rule: 'sync-timeout negative', ha: (p) => [hs(p, { 'sync-timeout': -5 })], expect: always("'sync-timeout' must not be negative") },
  { rule: 'sync-page-limit negative', ha: (p) => [hs(p, { 'sync-page-limit': -1 })], expect: always("'sync-page-limit' must not be negative") },
  {
    rule: 'delayed-updates-limit negative',
    ha: (p) => [rel('load-balancing', [s1(p), s2('secondary')], { 'delayed-updates-limit': -1 })],
    expect: always("'delayed-updates-limit' must not be negative"),
  },
  {
    rule: 'max-rejected-lease-updates negative (read from 2.6 on)',
    ha: (p) => [hs(p, { 'max-rejected-lease-updates': -1 })],
    expect: (v) => (is22(v) ? null : "'max-rejected-lease-updates' must not be negative"),
  },
  {
    rule: 'http-listener-threads negative',
    ha: (p) => [hs(p, { 'multi-threading': { 'http-listener-threads': -1 } })],
    expect: always("'http-listener-threads' must not be negative"),
  },
  {
    rule: 'http-client-threads above 2^32-1',
    ha: (p) => [hs(p, { 'multi-threading': { 'http-client-threads': 4294967296 } })],
    expect: always("'http-client-threads' must not be greater than 4294967295"),
  },
  // URLs and TLS
  {
    rule: 'a peer URL host that is a name, not an address',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'http://localhost:8002/', 'standby')])],
    expect: always("bad url 'http://localhost:8002/': Failed to convert string to address 'localhost': Invalid argument for server server2"),
  },
  {
    rule: 'a peer URL with an IPv4 address with a leading zero',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'http://127.0.0.02:8002/', 'standby')])],
    expect: always("bad url 'http://127.0.0.02:8002/': Failed to convert string to address '127.0.0.02': Invalid argument for server server2"),
  },
  {
    rule: 'a peer URL with another scheme',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'ftp://127.0.0.2:8002/', 'standby')])],
    expect: always('invalid URL: invalid scheme ftp in ftp://127.0.0.2:8002/ for server server2'),
  },
  {
    rule: 'a peer URL without a scheme',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', '127.0.0.2/', 'standby')])],
    expect: always('invalid URL: url 127.0.0.2/ lacks http or https scheme for server server2'),
  },
  {
    rule: 'a peer URL with a bad port',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'http://127.0.0.2:80a/', 'standby')])],
    expect: always('invalid URL: invalid port number 80a in http://127.0.0.2:80a/ for server server2'),
  },
  {
    rule: 'an https peer URL without TLS',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'https://127.0.0.2:8002/', 'standby')])],
    expect: always("bad url 'https://127.0.0.2:8002/': https scheme is not supported for server server2 where TLS is disabled"),
  },
  {
    rule: 'a trust-anchor without cert-file and key-file',
    ha: (p) => [hs(p, { 'trust-anchor': '/nonexistent/ca.pem' })],
    expect: always('bad TLS config for server server1: cert-file parameter is missing or empty: all or none of TLS parameters must be set'),
  },
  {
    rule: "one peer's cert-file alone",
    ha: (p) => [rel('hot-standby', [s1(p), s2('standby', { 'cert-file': '/nonexistent/cert.pem' })])],
    expect: always('bad TLS config for server server2: trust-anchor parameter is missing or empty: all or none of TLS parameters must be set'),
  },
  {
    rule: 'a key-file missing next to trust-anchor and cert-file',
    ha: (p) => [hs(p, { 'trust-anchor': '/nonexistent/ca.pem', 'cert-file': '/nonexistent/cert.pem' })],
    expect: always('bad TLS config for server server1: key-file parameter is missing or empty: all or none of TLS parameters must be set'),
  },
  // Basic auth
  {
    rule: 'basic-auth-password and basic-auth-password-file together',
    ha: (p) => [
      rel('hot-standby', [
        s1(p),
        s2('standby', { 'basic-auth-user': 'kea', 'basic-auth-password': 'not-the-real-one', 'basic-auth-password-file': '/nonexistent/pw' }),
      ]),
    ],
    expect: always("only one of basic-auth-password and basic-auth-password-file parameter can be configured in peer 'server2'"),
  },
  {
    rule: 'credentials in a peer URL',
    ha: (p) => [rel('hot-standby', [s1(p), peer('server2', 'http://kea:hunter2@127.0.0.2:8002/', 'standby')])],
    expect: always(
      "the URL of peer 'server2' holds user information (user@ or user:password@), which Kea does not take in a peer URL: use basic-auth-user and basic-auth-password",
    ),
    oursOnly: true,
  },
  // The list (hub-and-spoke from 2.6 on)
  {
    rule: 'no relationship at all',
    ha: () => [],
    expect: (v) =>
      is22(v)
        ? 'invalid number of configurations in the HA configuration list. Expected exactly one configuration'
        : 'a list of HA configurations must not be empty',
  },
  {
    rule: 'two hot-standby relationships (hub-and-spoke)',
    ha: (p) => [hs(p), spoke(p)],
    expect: (v) => (is22(v) ? 'invalid number of configurations in the HA configuration list. Expected exactly one configuration' : null),
  },
  {
    rule: 'two relationships, one load balancing',
    ha: (p) => [hs(p), spoke(p, 'load-balancing')],
    expect: (v) =>
      is22(v)
        ? 'invalid number of configurations in the HA configuration list. Expected exactly one configuration'
        : "multiple HA relationships are only supported for 'hot-standby' mode",
  },
  {
    rule: 'a server name in two relationships',
    ha: (p) => [hs(p), spoke(p, 'hot-standby', 'server2')],
    expect: (v) =>
      is22(v)
        ? 'invalid number of configurations in the HA configuration list. Expected exactly one configuration'
        : "server names must be unique for different relationships: a relationship 'server2' already exists",
  },
];

export const VERSIONS: Record<string, Version> = { '2.2': { major: 2, minor: 2 }, '2.6': { major: 2, minor: 6 }, '3.0': { major: 3, minor: 0 } };
