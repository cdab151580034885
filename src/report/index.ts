import type { Format } from '../plan.js';
import type { Report, Reporter, ReporterOptions } from './types.js';

/**
 * Format name -> reporter, like vitest's ReportersMap; a Record so a new Format cannot be
 * forgotten. Loaded on demand: a JSON run need not load chalk (human) or yaml (tap).
 */
export const reporters: Record<Format, () => Promise<Reporter>> = {
  human: async () => (await import('./human.js')).humanReporter,
  json: async () => (await import('./json.js')).jsonReporter,
  junit: async () => (await import('./junit.js')).junitReporter,
  tap: async () => (await import('./tap.js')).tapReporter,
  markdown: async () => (await import('./markdown.js')).markdownReporter,
  nagios: async () => (await import('./nagios.js')).nagiosReporter,
};

export async function render(format: Format, report: Report, options: ReporterOptions): Promise<string> {
  return (await reporters[format]())(report, options);
}
