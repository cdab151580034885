/**
 * Text that came from outside (a path, a name read from a file, a server's answer) made safe for
 * a terminal or a report: a control character could end a line or send an escape sequence that
 * retitles or clears the user's terminal. `keepLines` leaves tab and line feed for multi-line text.
 */
export function escapeControl(text: string, { keepLines = false }: { keepLines?: boolean } = {}): string {
  const pattern = keepLines ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g : /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
  return text.replace(pattern, (ch) => {
    const code = ch.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
