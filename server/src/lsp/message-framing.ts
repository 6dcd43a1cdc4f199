/**
 * A guard on the way in for the stdio transport: checks each message's
 * header before vscode-jsonrpc reads it.
 *
 * The library's reader takes `Content-Length` through `parseInt` and waits
 * for that many bytes: `-5` never arrives and `99999999999999` never ends,
 * so from then on every message is swallowed as the body of the bad one.
 * The server stays alive but deaf. Here a header must hold exactly one
 * `Content-Length` that is a plain decimal number no larger than
 * `MAX_CONTENT_LENGTH`; a message whose header does not is dropped and
 * reported, and reading resumes at the next `Content-Length:`, so the
 * requests after it are answered. Good messages pass through byte for
 * byte, their bodies streamed, never buffered here.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** Far above any real message (a 50 MB file opened in the editor) and below what a JavaScript string can hold. */
const MAX_CONTENT_LENGTH = 256 * 1024 * 1024;
/** A header is a line or two; one this long has no end coming. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /content-length:/i;
/** The start of a header block: a field name and its colon. */
const HEADER_LINE = /^[A-Za-z0-9-]+:/;

export class MessageFramingGuard extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** Body bytes of the current good message still to pass through. */
  private bodyLeft = 0;
  /** After a bad header: skipping to the next `Content-Length:`. */
  private resyncing = false;

  /** `onProblem` is told of each dropped message, in one sentence. */
  constructor(private readonly onProblem: (problem: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data: Buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.bodyLeft > 0) {
        const body = data.subarray(0, this.bodyLeft);
        this.push(body);
        this.bodyLeft -= body.length;
        data = data.subarray(body.length);
        continue;
      }
      if (this.resyncing) {
        const at = data.toString('latin1').search(CONTENT_LENGTH);
        if (at < 0) {
          // Keep a tail that may be the start of `Content-Length:` cut by the chunk boundary.
          this.pending = data.subarray(Math.max(0, data.length - 15));
          break;
        }
        data = data.subarray(at);
        this.resyncing = false;
      }
      const end = data.indexOf(HEADER_END);
      if (end < 0 && data.length <= MAX_HEADER_BYTES) {
        this.pending = data;
        break;
      }
      if (end < 0 || end > MAX_HEADER_BYTES) {
        // No end of header in sight: drop it, and look for the next header after its first byte.
        this.dropMessage(`a header longer than ${MAX_HEADER_BYTES} bytes`);
        data = data.subarray(1);
        continue;
      }
      const header = data.subarray(0, end + HEADER_END.length);
      const length = contentLengthOf(header.toString('latin1'));
      if (typeof length === 'string') {
        this.dropMessage(length);
        // A header block is dropped whole; stray bytes (the rest of a body that was longer than announced)
        // only up to the next header, which may be inside what looked like this block.
        data = HEADER_LINE.test(header.toString('latin1')) ? data.subarray(header.length) : data.subarray(1);
        continue;
      }
      data = data.subarray(header.length);
      this.push(header);
      this.bodyLeft = length;
    }
    done();
  }

  private dropMessage(problem: string): void {
    this.resyncing = true;
    this.onProblem(`Dropped a message from the client with ${problem}; reading on from the next Content-Length header.`);
  }
}

/** The header's content length, or what is wrong with it. */
function contentLengthOf(header: string): number | string {
  const values = header
    .split('\r\n')
    .filter((line) => CONTENT_LENGTH.test(line.slice(0, 15)))
    .map((line) => line.slice(line.indexOf(':') + 1).trim());
  if (values.length === 0) return 'no Content-Length header';
  if (new Set(values).size > 1) return `conflicting Content-Length headers (${values.map((v) => JSON.stringify(v.slice(0, 20))).join(', ')})`;
  const value = values[0]!;
  if (!/^\d{1,10}$/.test(value)) return `an invalid Content-Length ${JSON.stringify(value.slice(0, 20))}`;
  const length = Number(value);
  if (length > MAX_CONTENT_LENGTH) return `a Content-Length of ${length} bytes, more than the ${MAX_CONTENT_LENGTH} this server reads`;
  return length;
}
