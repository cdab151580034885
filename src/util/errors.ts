/** A mistake the user can fix (argument, config, input file): one line, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** A probe that could not get an answer; `cause` says why in words a human can act on. */
export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err).split('\n')[0] ?? 'unknown error';
}
