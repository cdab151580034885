// windows:<host>: the shipped collector (collectors/windows.ps1) run against a live Windows DHCP
// server with -ComputerName, for when the tool itself runs on Windows: through powershell.exe
// (pwsh elsewhere, or DHCP_FAILOVER_CHECK_POWERSHELL), bounded by --timeout, its bundle read from
// stdout by the windows-json reader. Tested with pwsh over mocked cmdlets only: never against a
// real Windows server.

import { spawn } from 'node:child_process';
import type { ServerFacts } from '../facts.js';
import { collectorPath } from '../collector.js';
import { ProbeError, errorText } from '../util/errors.js';
import { windowsJsonFacts } from './windows-json.js';

/** The collector's output (README: Limits): more ends the run of it, the facts unknown. */
export const STDOUT_CAP = 128 * 1024 * 1024;
/** What is kept of the collector's stderr; the rest is dropped. */
export const STDERR_CAP = 64 * 1024;

export interface WindowsLiveOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The PowerShell to run: DHCP_FAILOVER_CHECK_POWERSHELL, else powershell.exe on Windows, pwsh elsewhere. */
export function powershellCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return env['DHCP_FAILOVER_CHECK_POWERSHELL'] || (platform === 'win32' ? 'powershell.exe' : 'pwsh');
}

/** stderr as one line: PowerShell's error records span several, with colour codes off a terminal too. */
export function oneLine(text: string): string {
  const line = text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

export async function loadWindowsLive(host: string, opts: WindowsLiveOptions): Promise<ServerFacts> {
  const label = `windows:${host}`;
  const exe = powershellCommand();
  const args = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', collectorPath('windows'), '-ComputerName', host, '-OutFile', '-'];
  const { code, stdout, stderr, timedOut } = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>(
    (resolve, reject) => {
      let child: import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>;
      try {
        child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      } catch (err) {
        reject(new ProbeError(`${label}: cannot start ${exe}: ${errorText(err)}`, 'spawn'));
        return;
      }
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let timedOut = false;
      const stop = () => child.kill('SIGKILL');
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, opts.timeoutMs);
      opts.signal?.addEventListener('abort', stop, { once: true });
      child.stdout.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > STDOUT_CAP) stop();
        else out.push(d);
      });
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < STDERR_CAP) err += d.toString('utf8');
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new ProbeError(
            `${label}: cannot start ${exe}${e.code === 'ENOENT' ? ' (not found: the windows: source needs Windows PowerShell or pwsh)' : `: ${e.message}`}`,
            'spawn',
          ),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', stop);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: err, timedOut });
      });
    },
  );
  if (timedOut) throw new ProbeError(`${label}: the collector did not finish within ${opts.timeoutMs / 1000} s (--timeout)`, 'timeout');
  if (outBytes(stdout) > STDOUT_CAP) throw new ProbeError(`${label}: the collector wrote more than 128 MiB`, 'too-large');
  if (code !== 0)
    throw new ProbeError(`${label}: the collector failed (exit ${code ?? 'killed'})${stderr.trim() ? `: ${oneLine(stderr)}` : ''}`, 'collector-failed');
  let facts: ServerFacts;
  try {
    facts = windowsJsonFacts(label, stdout);
  } catch (e) {
    // The bundle names what the collector could not read (Notes): that is the cause to show.
    const notes = /"Notes"\s*:\s*(\[[\s\S]*?\]|"[^"]*")/.exec(stdout)?.[1];
    throw new ProbeError(
      `${errorText(e)}${notes ? `; the collector noted: ${oneLine(notes)}` : ''}${stderr.trim() ? `; stderr: ${oneLine(stderr)}` : ''}`,
      'bad-bundle',
    );
  }
  return { ...facts, source: label };
}

const outBytes = (text: string) => Buffer.byteLength(text, 'utf8');
