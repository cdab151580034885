/**
 * `date.toISOString()`, from the date's UTC fields. V8's own first toISOString() sets up its date
 * cache, about 0.8 ms of a run that lasts a few dozen; the fields are read without it.
 * Years outside 0-9999 (written with six digits and a sign) and invalid dates are left to
 * toISOString, which also throws the same RangeError for the latter.
 */
export function isoTime(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const ms = date.getUTCMilliseconds();
  return (
    `${`000${year}`.slice(-4)}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${`00${ms}`.slice(-3)}Z`
  );
}
