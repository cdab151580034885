// Issue 23 items 4 and 8 as bench rows: a 60 MB Windows export (valid, many scopes) through the
// built CLI (time and peak RSS, GNU time via runMeasured), and SIGTERM while that export is being
// parsed: the run must end within a second with 143.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesRead, runMeasured, writeBigWindowsExport } from '../test/helpers/hostile-files.js';
import { verdict, type Row } from './table.js';
import { BIN, ROOT, RUNS, sleep } from './util.js';

const EXPORT_BYTES = 60e6;
/** Peak RSS allowed: see the row's note. */
const RSS_BOUND_MB = 300;
const SIGNAL_BOUND_MS = 1000;

/** Starts the CLI, sends SIGTERM once it has read `after` bytes; resolves the exit and the time from the signal to the end. */
function terminatedWhileParsing(args: string[], after: number): Promise<{ code: number | null; signal: string | null; endedMs: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let signalledAt = 0;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, endedMs: signalledAt === 0 ? Number.NaN : performance.now() - signalledAt, stderr });
    });
    void (async () => {
      const pid = child.pid;
      if (pid === undefined) return;
      for (;;) {
        const read = bytesRead(pid);
        if (read === undefined) return;
        if (read >= after) break;
        await sleep(5);
      }
      signalledAt = performance.now();
      child.kill('SIGTERM');
    })();
  });
}

export async function hostileExport(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dfc-bench-hostile-export-'));
  try {
    const xml = join(dir, 'big-export.xml');
    writeBigWindowsExport(xml, EXPORT_BYTES);
    const size = statSync(xml).size;
    const scopes = (readFileSync(xml, 'utf8').match(/<Scope>/g) ?? []).length;
    const args = [
      '127.0.0.2',
      '--local-source',
      `windows-export:${xml}`,
      '--partner-source',
      `windows-json:${ROOT}/examples/partner.json`,
      '--timeout',
      '1s',
      '--format',
      'json',
    ];
    const whole = await runMeasured(args);
    const rssMb = whole.maxRssKb === undefined ? Number.NaN : whole.maxRssKb / 1024;
    const stops = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) stops.push(await terminatedWhileParsing(args, size / 3));
    const worst = Math.max(...stops.map((s) => s.endedMs));
    const allOk = stops.every((s) => s.code === 143 && s.stderr.includes('interrupted by SIGTERM') && s.endedMs <= SIGNAL_BOUND_MS);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return [
      {
        measurement: `Windows export of ${(size / 1e6).toFixed(0)} MB (${scopes.toLocaleString('en-US')} scopes, valid) through the CLI, partner a small bundle`,
        ours: `${s(whole.wallMs)}, ${rssMb.toFixed(0)} MB`,
        comparedWith: '—',
        ratio: '—',
        target: `≤ ${RSS_BOUND_MB} MB`,
        result: verdict(whole.code !== null && whole.code !== 2 && whole.code !== 4 && rssMb <= RSS_BOUND_MB),
        note:
          `exit ${whole.code}. The export is streamed in 1 MiB chunks and each scope kept as one small fact: memory follows the scopes, ` +
          `not the text. ${RSS_BOUND_MB} MB = node and the bundle (~60 MB) + ${scopes.toLocaleString('en-US')} scope facts and what the checks ` +
          `build from them (a few hundred bytes each, < 100 MB) + the 1 MiB chunk and its decoded text, with room to spare; the file ` +
          `itself (${(size / 1e6).toFixed(0)} MB) is never held whole. Time is information only (most of it is the checks over ${scopes.toLocaleString('en-US')} scopes, not the parse).`,
      },
      {
        measurement: `SIGTERM once a third of that export is read (${stops.length} runs)`,
        ours: `worst ${s(worst)} to exit; exits ${[...new Set(stops.map((x) => x.code ?? x.signal))].join(', ')}`,
        // Measured once on the commit before (b9169e6), 59 MB export: the handler ran, the reader read on to the end.
        comparedWith: 'before: 7.1 s',
        ratio: '—',
        target: `≤ ${s(SIGNAL_BOUND_MS)}, exit 143`,
        result: verdict(allOk),
        note: 'The streamed reader stops at the next chunk once the run is aborted; the report (checks unknown: interrupted) is still written, exit 143, one stderr line.',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
