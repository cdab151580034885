import { isatty } from 'node:tty';

// Whether stdout or stderr is a terminal, asked of the descriptor: reading process.stdout.isTTY
// would create the stream that util/stdout.ts avoids for a pipe or a file.

export const stdoutIsTTY = (): boolean => isatty(1);

/** The same for stderr, without creating process.stderr. */
export const stderrIsTTY = (): boolean => isatty(2);

/** The terminal's width, for wrapping; undefined when stdout is not a terminal. */
export const stdoutColumns = (): number | undefined => (isatty(1) ? process.stdout.columns : undefined);
