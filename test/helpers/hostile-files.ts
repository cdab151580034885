import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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
