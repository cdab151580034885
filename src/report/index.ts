import { EXIT } from '../exit-codes.js';
import type { Format } from './names.js';
import type { ReportFormat, ReporterOptions, RunReport } from './types.js';

/**
 * Format name -> its one module, like vitest's ReportersMap; a Record so a new Format cannot be
 * forgotten. Loaded on demand: a JSON run need not load chalk (human) or yaml (tap).
 */
export const formats: Record<Format, () => Promise<ReportFormat>> = {
  human: async () => (await import('./human.js')).human,
  json: async () => (await import('./json.js')).json,
  junit: async () => (await import('./junit.js')).junit,
  tap: async () => (await import('./tap.js')).tap,
  markdown: async () => (await import('./markdown.js')).markdown,
  nagios: async () => (await import('./nagios.js')).nagios,
  github: async () => (await import('./github.js')).github,
};

export async function render(format: Format, report: RunReport, options: ReporterOptions): Promise<string> {
  const f = await formats[format]();
  await f.prepare?.(options);
  return f.render(report, options);
}

/** The exit code the format's consumers read for this report. */
export async function exitCodeOf(format: Format, report: RunReport): Promise<number> {
  return (await formats[format]()).exitCode?.(report) ?? report.exitCode;
}

/** The exit code when nothing could be judged (bad invocation, report lost). */
export async function usageExitCodeOf(format: Format): Promise<number> {
  return (await formats[format]()).usageExitCode ?? EXIT.usage;
}
