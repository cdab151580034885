import { Chalk } from 'chalk';
import type { Styles } from './styles.js';

/**
 * The styles in ANSI colour. An explicit level, not the global chalk: its level follows the
 * environment, and whether to paint is the run's decision (--no-color, NO_COLOR, a terminal).
 */
export function colourStyles(): Styles {
  const c = new Chalk({ level: 1 });
  return {
    bold: c.bold,
    dim: c.dim,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
    magenta: c.magenta,
    boldRed: c.bold.red,
    boldGreen: c.bold.green,
  };
}
