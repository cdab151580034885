/** The text styles the human report paints with: ANSI colour (colour.ts), or none. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
  boldRed(text: string): string;
  boldGreen(text: string): string;
}

const same = (text: string): string => text;

/** No colour: every style leaves the text as it is, and chalk is never loaded. */
export const PLAIN: Styles = {
  bold: same,
  dim: same,
  red: same,
  green: same,
  yellow: same,
  cyan: same,
  magenta: same,
  boldRed: same,
  boldGreen: same,
};
