import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { BIN } from './cli.js';

// Hostile input files for the CLI tests, and a runner that also reports the child's peak memory
// (GNU time's %M), so "refused before reading" is measured, not assumed.

export const BILLION_LAUGHS_XML = `<?xml version="1.0"?>
<!DOCTYPE DHCPServer [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<DHCPServer><MajorVersion>&lol9;</MajorVersion><MinorVersion>0</MinorVersion></DHCPServer>
`;

export const externalEntityXml = (systemId: string) => `<?xml version="1.0"?>
<!DOCTYPE DHCPServer [ <!ENTITY xxe SYSTEM "${systemId}"> ]>
<DHCPServer><MajorVersion>10</MajorVersion><MinorVersion>0</MinorVersion><IPv4><Scopes><Scope><ScopeId>&xxe;</ScopeId></Scope></Scopes></IPv4></DHCPServer>
`;

/** YAML "billion laughs": nine levels of aliases, 10^9 leaves once expanded. */
export const YAML_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

/** Bytes a process has read so far (rchar of /proc/<pid>/io), or undefined once it is gone. */
export function bytesRead(pid: number): number | undefined {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident memory of the CLI process in KiB (GNU time), or undefined without /usr/bin/time. */
  maxRssKb?: number;
}

const TIME = '/usr/bin/time';

/** Runs the built CLI under GNU time; the measurement line is taken off stderr. */
export function runMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to measure memory; install the "time" package`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', '@@maxrss=%M', process.execPath, BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      const m = /@@maxrss=(\d+)\n?$/.exec(stderr);
      const rest = stderr.replace(/(Command exited with non-zero status \d+\n)?@@maxrss=\d+\n?$/, '');
      resolve({ code, stdout, stderr: rest, wallMs: performance.now() - started, ...(m ? { maxRssKb: Number(m[1]) } : {}) });
    });
  });
}

// Large valid inputs at the file caps (issue 23 item 4: a signal during a long parse). Each is
// written in pieces, so the test process never holds the whole text.

/** Appends pieces from `next(i)` to `path` until `maxBytes` or `next` returns undefined; returns bytes written. */
function writePieces(path: string, head: string, next: (i: number) => string | undefined, tail: string, maxBytes: number): number {
  const fd = openSync(path, 'w');
  try {
    let size = writeSync(fd, head);
    let batch: string[] = [];
    let batchSize = 0;
    for (let i = 0; ; i++) {
      const piece = next(i);
      if (piece === undefined || size + batchSize + piece.length + tail.length > maxBytes) break;
      batch.push(piece);
      batchSize += piece.length;
      if (batchSize > 1 << 20) {
        size += writeSync(fd, batch.join(''));
        batch = [];
        batchSize = 0;
      }
    }
    size += writeSync(fd, batch.join(''));
    return size + writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

const quad = (i: number, last = 0): string => `${10 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}.${last}`;

/**
 * A valid dhcpd.conf: one failover peer and `subnets` subnets, each with a routers option and a
 * pool under the peer (about 52 tokens and 150 bytes each; 75 000 stay under the 4 000 000 token bound).
 */
export function writeBigDhcpdConf(path: string, subnets = 75_000, maxBytes = 16 * 1024 * 1024): number {
  const head =
    'failover peer "big" {\n  primary;\n  address 10.0.0.1;\n  port 647;\n  peer address 10.0.0.2;\n  peer port 647;\n  max-response-delay 60;\n  max-unacked-updates 10;\n  mclt 3600;\n  split 128;\n  load balance max seconds 3;\n}\n';
  return writePieces(
    path,
    head,
    (i) =>
      i >= subnets
        ? undefined
        : `subnet ${quad(i)} netmask 255.255.255.0 {\n  option routers ${quad(i, 1)};\n  pool {\n    failover peer "big";\n    range ${quad(i, 10)} ${quad(i, 200)};\n  }\n}\n`,
    '',
    maxBytes,
  );
}

/**
 * A Kea config whose `subnet4` list is `parts` included fragments of about `partBytes` each
 * (`<path>.part<n>`, distinct subnets): more text than one file's 16 MiB cap, within the 64 MiB
 * include budget. Returns the main file's size and one fragment's.
 */
export function writeBigKeaConfigWithIncludes(path: string, parts = 3, partBytes = 15 * 1024 * 1024): { main: number; part: number } {
  let part = 0;
  let first = 0;
  for (let n = 0; n < parts; n++) {
    let last = first;
    part = writePieces(
      `${path}.part${n}`,
      '',
      (i) => {
        last = first + i;
        return (
          `${i ? ',\n' : ''}      { "id": ${last + 1}, "subnet": "${quad(last)}/24", "pools": [ { "pool": "${quad(last, 10)} - ${quad(last, 200)}" } ], // subnet ${last + 1}\n` +
          `        "option-data": [ { "name": "routers", "data": "${quad(last, 1)}" } ] }`
        );
      },
      '\n',
      partBytes,
    );
    first = last + 1;
  }
  const includes = Array.from({ length: parts }, (_, n) => `<?include "${path}.part${n}"?>`).join(',\n');
  writeFileSync(path, `{\n  "Dhcp4": {\n    "valid-lifetime": 4000,\n    "subnet4": [\n${includes}\n    ]\n  }\n}\n`);
  return { main: statSync(path).size, part };
}

/** An Export-DhcpServer XML file (configuration only) of about `maxBytes`, many /24 scopes. */
export function writeBigWindowsExport(path: string, maxBytes: number): number {
  return writePieces(
    path,
    '<?xml version="1.0" encoding="utf-8"?>\r\n<DHCPServer>\r\n  <MajorVersion>10</MajorVersion>\r\n  <MinorVersion>0</MinorVersion>\r\n  <IPv4>\r\n    <Scopes>\r\n',
    (i) =>
      `      <Scope>\r\n        <ScopeId>${quad(i)}</ScopeId>\r\n        <Name>scope-${i}</Name>\r\n        <SubnetMask>255.255.255.0</SubnetMask>\r\n` +
      `        <StartRange>${quad(i, 10)}</StartRange>\r\n        <EndRange>${quad(i, 200)}</EndRange>\r\n        <LeaseDuration>8.00:00:00</LeaseDuration>\r\n` +
      `        <State>Active</State>\r\n        <Type>Dhcp</Type>\r\n        <MaxBootpClients>4294967295</MaxBootpClients>\r\n` +
      `        <OptionValues>\r\n          <OptionValue>\r\n            <OptionId>3</OptionId>\r\n            <Value>${quad(i, 1)}</Value>\r\n          </OptionValue>\r\n        </OptionValues>\r\n` +
      `        <ExclusionRanges />\r\n        <Reservations />\r\n        <Policies />\r\n      </Scope>\r\n`,
    '    </Scopes>\r\n  </IPv4>\r\n</DHCPServer>\r\n',
    maxBytes,
  );
}
