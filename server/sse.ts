// A linear, size-capped Server-Sent Events parser for upstream streams.
//
// Each call to push() looks only at the text it is given: a partial line is
// kept as pieces and joined once when its line ends, so an event split over
// many reads (or one huge event) costs O(size), never O(size²). An event whose
// lines grow past `maxEventChars` stops the parse: the caller ends the stream
// with its own error instead of buffering without bound.
// Line ends: CRLF, LF or CR (per the SSE spec), also when split across reads.

export interface SseEvent {
  /** The `event:` field ('' when absent). */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

export class SseEventTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`An upstream event exceeded ${limit} characters`);
    this.name = 'SseEventTooLarge';
  }
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  /** Pieces of the current, unfinished line. */
  private linePieces: string[] = [];
  /** Characters of the current event's finished lines. */
  private eventChars = 0;
  /** Characters of the unfinished line. */
  private pieceChars = 0;
  private data: string[] = [];
  private event = '';
  /** The previous read ended with CR: a leading LF in the next one belongs to it. */
  private afterCR = false;

  constructor(private readonly maxEventChars: number) {}

  /** Decodes `bytes` and returns the events completed by them. Throws SseEventTooLarge. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  pushText(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    const n = text.length;
    let i = 0;
    if (this.afterCR && n > 0 && text.charCodeAt(0) === 10) i = 1;
    this.afterCR = false;
    let lineStart = i;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      let line: string;
      if (this.linePieces.length) {
        this.linePieces.push(text.slice(lineStart, i));
        line = this.linePieces.join('');
        this.linePieces = [];
        this.pieceChars = 0;
      } else line = text.slice(lineStart, i);
      if (ch === 13) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else this.afterCR = true;
      }
      lineStart = i + 1;
      this.line(line, out);
    }
    if (lineStart < n) {
      const rest = text.slice(lineStart);
      this.linePieces.push(rest);
      this.pieceChars += rest.length;
      if (this.eventChars + this.pieceChars > this.maxEventChars) throw new SseEventTooLarge(this.maxEventChars);
    }
    return out;
  }

  /** Characters held for an unfinished event (0 between events). */
  get pending(): number {
    return this.eventChars + this.pieceChars;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length) out.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      this.eventChars = 0;
      return;
    }
    this.eventChars += line.length + 1;
    if (this.eventChars > this.maxEventChars) throw new SseEventTooLarge(this.maxEventChars);
    if (line.charCodeAt(0) === 58 /* : */) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.data.push(value);
    } else if (field === 'event') {
      this.event = value;
    }
  }
}
