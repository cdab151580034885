/** One line of the results table. */
export interface Row {
  measurement: string;
  ours: string;
  comparedWith: string;
  ratio: string;
  target: string;
  result: 'PASS' | 'MISS' | 'n/a' | 'info' | 'ERROR';
  /** What is behind the figure, printed under the table. */
  note?: string;
}

const HEAD = ['measurement', 'ours', 'compared with', 'ratio', 'target', 'result'];

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: readonly Row[]): string {
  const lines = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(`| ${[r.measurement, r.ours, r.comparedWith, r.ratio, r.target, r.result].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function notes(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.note)
    .map((r) => `- **${r.measurement}**: ${r.note}`)
    .join('\n');
}

export const verdict = (ok: boolean): Row['result'] => (ok ? 'PASS' : 'MISS');

export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');

export function errorRow(measurement: string, target: string, err: unknown): Row {
  const text = err instanceof Error ? err.message : String(err);
  return { measurement, ours: '—', comparedWith: '—', ratio: '—', target, result: 'ERROR', note: `failed: ${text.split('\n')[0]}` };
}
