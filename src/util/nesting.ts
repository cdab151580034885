// One documented nesting limit for every parser of a file (JSON, YAML, XML, Kea's JSON with
// comments, dhcpd.conf): far beyond any real configuration or export, and low enough that no
// value a file drives can reach the stack limit of a recursive walk over it.

/** The deepest nesting any parser accepts (README: Limits). */
export const MAX_NESTING = 256;

/** The words of the refusal, the same for every format: `nested deeper than 256 levels at line L`. */
export function nestedTooDeep(line: number): string {
  return `nested deeper than ${MAX_NESTING} levels at line ${line}`;
}
