// Reads a user's text file in chunks and hands the decoded text to a sink, so a 120 MB Windows
// file never sits in memory whole (as bytes, as one string, or as a parsed tree).

import { ChunkedTextDecoder } from '../util/decode-text.js';
import { inputName } from '../util/input-file.js';
import { guardedChunks, type GuardedRead } from '../util/read-guarded.js';

export interface TextSink {
  /** The next piece of text (never split inside a character; the BOM is already dropped). */
  push(text: string): void;
  /** The text is complete. */
  end(): void;
  /**
   * After push() threw, the rest of the text still passes through here so that a problem which
   * outranks the first one can replace it: a DOCTYPE later in the file wins over a syntax error.
   * Decoding errors always win; they are found by reading on to the end.
   */
  drain?(text: string): void;
}

export interface StreamOptions extends GuardedRead {
  /** Bytes per read (tests use tiny chunks to exercise the seams). */
  chunkBytes?: number;
}

/** Streams a user's text file (see read-guarded.ts for how it is opened, capped and bounded). */
export async function streamTextFile(path: string, sink: TextSink, opts: StreamOptions): Promise<void> {
  const decoder = new ChunkedTextDecoder(inputName(path, opts));
  let failure: unknown;
  let failed = false;
  const feed = (text: string): void => {
    if (text === '') return;
    if (!failed) {
      try {
        sink.push(text);
      } catch (err) {
        failed = true;
        failure = err;
      }
    } else {
      try {
        sink.drain?.(text);
      } catch (err) {
        failure = err;
      }
    }
  };
  for await (const chunk of guardedChunks(path, opts)) feed(decoder.write(chunk));
  feed(decoder.end());
  if (failed) throw failure;
  sink.end();
}

/** Text already in memory, fed as the file would be (same error precedence as streamTextFile). */
export function feedText(sink: TextSink, text: string | Iterable<string>): void {
  let failure: { error: unknown } | undefined;
  for (const chunk of typeof text === 'string' ? [text] : text) {
    if (chunk === '') continue;
    try {
      if (failure) sink.drain?.(chunk);
      else sink.push(chunk);
    } catch (error) {
      failure = { error };
    }
  }
  if (failure) throw failure.error;
  sink.end();
}

/**
 * Line and column (1-based, in UTF-16 units like lineColumn) across a text that arrives in
 * pieces: `base` is the offset of the current buffer's first character in the whole text.
 */
export class TextPosition {
  base = 0;
  private line = 1;
  private lineStart = 0;

  /** The buffer's first `cut` characters are being dropped: count their lines. */
  advance(text: string, cut: number): void {
    for (let i = text.indexOf('\n'); i !== -1 && i < cut; i = text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = this.base + i + 1;
    }
    this.base += cut;
  }

  /** Lines of several buffer indexes (ascending) in one walk over the buffer. */
  linesOf(text: string, indexes: readonly number[]): number[] {
    const lines: number[] = [];
    let line = this.line;
    let nl = text.indexOf('\n');
    for (const at of indexes) {
      while (nl !== -1 && nl < at) {
        line++;
        nl = text.indexOf('\n', nl + 1);
      }
      lines.push(line);
    }
    return lines;
  }

  /** Line and column of buffer index `at`. */
  of(text: string, at: number): { line: number; column: number } {
    let line = this.line;
    let lineStart = this.lineStart;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = this.base + i + 1;
    }
    return { line, column: this.base + at - lineStart + 1 };
  }
}
