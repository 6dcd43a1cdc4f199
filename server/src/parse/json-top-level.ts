/**
 * The top-level keys of a strict JSON text, read without building the
 * document: what the pre-filter (`facts/prefilter.ts`) asks of a 2 MB
 * CloudFormation template on every keystroke. It validates the whole text
 * as RFC 8259 JSON (so a text it accepts has no syntax problem for the
 * real parser either, which is more lenient), allocating only the decoded
 * top-level keys and the string values asked for. Undefined for anything
 * else: JSONC, a syntax error, nesting deeper than the stack: the caller
 * then parses in full.
 */

export interface TopLevel {
  /** Decoded keys of the top-level object, in order (duplicates repeated); undefined when the top level is no object. */
  readonly keys: readonly string[] | undefined;
  /** The last value of each wanted key that is a string (undefined entries: not a string, or absent). */
  readonly strings: ReadonlyMap<string, string | null>;
  /**
   * Where what was read lies: each top-level key and each wanted key's
   * value, as [start, end) offsets (a string's quotes included; any other
   * value whole). An edit elsewhere cannot change `keys` or `strings`.
   */
  readonly read: readonly (readonly [number, number])[];
}

class NotStrict extends Error {}

function fail(): never {
  throw new NotStrict();
}

/** A string's characters after its opening quote, through its closing one (the native regex engine is the fast loop). */
const STRING_BODY = /[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y;
/** Control characters other than the three JSON whitespace ones: rare, so their presence anywhere sends every string to `STRING_BODY`. */
const RARE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** The first index at or after `from` of `c` in `text`, as `indexOf`, but `Infinity` for none. */
function nextIndex(text: string, c: string, from: number): number {
  const at = text.indexOf(c, from);
  return at < 0 ? Infinity : at;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The scanner's state: the text, and forward cursors to the next
 * backslash, line break, carriage return and tab. Strings are most of a
 * large JSON text; their body is found with `indexOf` (native, no match
 * object): the next quote closes the string unless a backslash, a line
 * break, a carriage return or a tab comes first, which the cursors say
 * (each asked only past the string's opening quote, so over a whole text
 * each scans it once). A string with a backslash is matched by
 * `STRING_BODY`, which checks its escapes; one with a raw line break,
 * carriage return or tab is not strict JSON. With any other control
 * character in the text, every string goes to `STRING_BODY`. Every other
 * character is read by the loops below, which accept only JSON's.
 */
class Scanner {
  private readonly rare: boolean;
  private backslash = -1;
  private newline = -1;
  private cr = -1;
  private tab = -1;
  /** Set by `string`: whether the string just skipped had escapes. */
  escaped = false;

  constructor(private readonly text: string) {
    this.rare = RARE_CONTROL.test(text);
  }

  ws(i: number): number {
    const text = this.text;
    while (isWhitespace(text.charCodeAt(i))) i++;
    return i;
  }

  /** Skips the string whose opening quote is at `i`; returns the index after its closing quote. */
  string(i: number): number {
    const text = this.text;
    const from = i + 1;
    if (this.backslash < from) this.backslash = nextIndex(text, '\\', from);
    if (!this.rare) {
      const close = text.indexOf('"', from);
      if (close < 0) fail();
      if (this.backslash > close) {
        if (this.newline < from) this.newline = nextIndex(text, '\n', from);
        if (this.cr < from) this.cr = nextIndex(text, '\r', from);
        if (this.tab < from) this.tab = nextIndex(text, '\t', from);
        if (this.newline < close || this.cr < close || this.tab < close) fail();
        this.escaped = false;
        return close + 1;
      }
    }
    STRING_BODY.lastIndex = from;
    if (!STRING_BODY.test(text)) fail();
    const end = STRING_BODY.lastIndex;
    this.escaped = this.backslash < end;
    return end;
  }

  number(i: number): number {
    const text = this.text;
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else fail();
    if (text.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(text.charCodeAt(i))) fail();
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const s = text.charCodeAt(i);
      if (s === 43 || s === 45) i++;
      if (!isDigit(text.charCodeAt(i))) fail();
      while (isDigit(text.charCodeAt(i))) i++;
    }
    return i;
  }

  /** A key and its colon inside an object below the top level, at `i` (after whitespace); returns the index after the colon. */
  member(i: number): number {
    if (this.text.charCodeAt(i) !== 34) fail();
    i = this.ws(this.string(i));
    if (this.text.charCodeAt(i) !== 58) fail();
    return i + 1;
  }

  /** Skips any value starting at or after `i`; iterative over containers, so deep nesting cannot overflow the stack. */
  value(i: number): number {
    const text = this.text;
    // The open containers, innermost last: 123 `{` or 91 `[`.
    const stack: number[] = [];
    for (;;) {
      i = this.ws(i);
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        i = this.ws(i + 1);
        if (text.charCodeAt(i) === (c === 123 ? 125 : 93)) i++;
        else {
          stack.push(c);
          if (c === 123) i = this.member(i);
          continue;
        }
      } else if (c === 34) i = this.string(i);
      else if (c === 116) i = literal(text, i, 'true');
      else if (c === 102) i = literal(text, i, 'false');
      else if (c === 110) i = literal(text, i, 'null');
      else i = this.number(i);
      // After a value: a comma continues the innermost container, its bracket closes it.
      for (;;) {
        if (stack.length === 0) return i;
        i = this.ws(i);
        const top = stack[stack.length - 1]!;
        const d = text.charCodeAt(i);
        if (d === 44) {
          i++;
          if (top === 123) i = this.member(this.ws(i));
          break;
        }
        if ((top === 123 && d === 125) || (top === 91 && d === 93)) {
          i++;
          stack.pop();
          continue;
        }
        fail();
      }
    }
  }

  /** The string whose opening quote is at `start` and that `string` just skipped to `end`, decoded. */
  decoded(start: number, end: number): string {
    return this.escaped ? (JSON.parse(this.text.slice(start, end)) as string) : this.text.slice(start + 1, end - 1);
  }
}

function literal(text: string, i: number, word: string): number {
  if (!text.startsWith(word, i)) fail();
  return i + word.length;
}

export function readTopLevel(text: string, wanted: ReadonlySet<string>): TopLevel | undefined {
  try {
    const scan = new Scanner(text);
    let i = scan.ws(0);
    const strings = new Map<string, string | null>();
    const read: [number, number][] = [];
    let keys: string[] | undefined;
    if (text.charCodeAt(i) === 123) {
      keys = [];
      i = scan.ws(i + 1);
      if (text.charCodeAt(i) === 125) i++;
      else {
        for (;;) {
          i = scan.ws(i);
          if (text.charCodeAt(i) !== 34) fail();
          const start = i;
          i = scan.string(i);
          const key = scan.decoded(start, i);
          keys.push(key);
          read.push([start, i]);
          i = scan.ws(i);
          if (text.charCodeAt(i) !== 58) fail();
          i = scan.ws(i + 1);
          const valueStart = i;
          if (wanted.has(key) && text.charCodeAt(i) === 34) {
            i = scan.string(i);
            strings.set(key, scan.decoded(valueStart, i));
          } else {
            if (wanted.has(key)) strings.set(key, null);
            i = scan.value(i);
          }
          if (wanted.has(key)) read.push([valueStart, i]);
          i = scan.ws(i);
          const d = text.charCodeAt(i);
          i++;
          if (d === 125) break;
          if (d !== 44) fail();
        }
      }
    } else i = scan.value(i);
    i = scan.ws(i);
    if (i !== text.length) fail();
    return { keys, strings, read };
  } catch {
    // Not strict JSON, or (a string longer than the regular expression engine's stack) not read here: the caller parses in full.
    return undefined;
  }
}
