import { InputError } from '../util/errors.js';
import type { HaSection } from './ha-section.js';
import type { DhcpdSide } from './run.js';

export async function checkMigration(_from: [DhcpdSide, DhcpdSide], _to: [string, string], _section: HaSection, _say: (line: string) => void): Promise<number> {
  throw new InputError('--to: not implemented yet');
}
