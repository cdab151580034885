/**
 * glibc's atoi() on a 64-bit Linux, which dhcpd uses for the failover peer's numbers: strtol
 * (saturating at the 64-bit limits), then truncated to a 32-bit int. The text is a NUMBER token
 * (an optional '-' and decimal digits).
 */
export function atoi(text: string): number {
  let n = BigInt(text);
  const max = (1n << 63n) - 1n;
  if (n > max) n = max;
  if (n < -max - 1n) n = -max - 1n;
  return Number(BigInt.asIntN(32, n));
}

/**
 * dhcpd's convert_num() for 8- and 16-bit fields: base 0 reads 0x.. as hex and 0.. as octal;
 * digits accumulate in a wrapping 32-bit unsigned; a negative number may go one past the
 * signed limit. Returns the stored value, or the error dhcpd reports (in words, no token text).
 */
export function convertNum(text: string, base: 0 | 10 | 16, size: 8 | 16): number | string {
  let i = 0;
  const negative = text[0] === '-';
  if (negative) i++;
  let b: number = base;
  if (b === 0) {
    if (text[i] === '0' && text[i + 1] === 'x') {
      b = 16;
      i += 2;
    } else if (text[i] === '0' && /[0-9]/.test(text[i + 1] ?? '')) {
      b = 8;
      i += 1;
    } else b = 10;
  }
  let val = 0;
  do {
    const c = text.charCodeAt(i++);
    let digit: number;
    if (c >= 0x61) digit = c - 0x61 + 10;
    else if (c >= 0x41) digit = c - 0x41 + 10;
    else if (c >= 0x30) digit = c - 0x30;
    else return `bogus number`;
    if (Number.isNaN(digit) || digit >= b) return `bogus number: a digit not in base ${b}`;
    val = (Math.imul(val, b) + digit) >>> 0;
  } while (i < text.length);
  const max = negative ? 1 << (size - 1) : (1 << size) - 1;
  if (val > max) return `number exceeds the maximum (${max}) for ${size} bits`;
  return negative ? (-val & ((1 << size) - 1)) >>> 0 : val;
}
