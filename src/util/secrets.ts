// The one redaction boundary. Every secret the run knows (the Kea and LDAP passwords, the OMAPI
// key, the userinfo of any URL-like argument) is registered once, where it is read; every string
// that leaves the process (the report in each format, each --output file, each stderr line)
// passes through maskSecrets(). Besides the registered values and the forms they take on the
// way out (JSON- and XML-escaped, `user:password` in base64 as HTTP Basic sends it), two shapes
// are masked whoever's they are: an `Authorization: Basic …` value, as an agent may echo it in an
// error text, and the userinfo of a URL.

export const MASK = '***';
/** Shorter values are not masked: a one-letter password would blank every such letter of a report. */
const MIN_LENGTH = 3;

const known = new Set<string>();

function add(value: string): void {
  if (value.length < MIN_LENGTH) return;
  known.add(value);
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) known.add(json);
  const xml = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  if (xml !== value) known.add(xml);
}

/** A secret read from a file, the environment or an argument. Empty and undefined are none. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value === '') return;
  add(value);
  const trimmed = value.trim();
  if (trimmed !== value) add(trimmed);
}

/** A user and password as HTTP Basic sends them: the password, and base64(`user:password`). */
export function registerCredentials(user: string | undefined, password: string | undefined): void {
  registerSecret(password);
  if (password === undefined || password === '') return;
  const pair = `${user ?? ''}:${password}`;
  add(Buffer.from(pair).toString('base64'));
  add(Buffer.from(pair).toString('base64').replace(/=+$/, ''));
}

/** The userinfo of every URL-like part of `text` (`scheme://user:password@`), whether or not it parses. */
export function registerUserinfo(text: string): void {
  // Up to the last '@' of the word: a password may hold '/' or '@' (then the URL does not parse).
  for (const m of text.matchAll(/\/\/([^\s"'<>]{0,1024})@/g)) {
    const info = m[1]!;
    registerSecret(info);
    const colon = info.indexOf(':');
    if (colon >= 0) {
      registerSecret(info.slice(colon + 1));
      registerCredentials(decodeOr(info.slice(0, colon)), decodeOr(info.slice(colon + 1)));
    }
  }
}

function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` with every registered secret, every Basic credential and every URL userinfo masked. */
export function maskSecrets(text: string): string {
  let out = text;
  // Longest first: a secret that contains another is masked whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  // A word after "Basic" is a credential when a header names it, or when it looks like base64
  // (a digit, '+', '/' or '='): "Basic authentication failed" stays as it is. Each pattern runs
  // only where its fixed words occur: most reports hold neither, and compiling them is not free.
  if (out.includes('Basic ') || out.includes('Bearer '))
    out = out.replace(
      /(Authorization["']?\s*[:=]\s*["']?)?\b(Basic|Bearer) ([A-Za-z0-9+/._~-]{4,}=*)/g,
      (all, header: string | undefined, scheme: string, token: string) =>
        header !== undefined || /[0-9+/=]/.test(token) ? `${header ?? ''}${scheme} ${MASK}` : all,
    );
  // Bounded: a long run of slashes must not make this quadratic.
  if (!out.includes('//') || !out.includes('@')) return out;
  return out.replace(/(\/\/)[^\s"'<>@]{0,1024}@/g, `$1${MASK}@`);
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  known.clear();
}
