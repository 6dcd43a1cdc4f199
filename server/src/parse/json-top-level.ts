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
}

class NotStrict extends Error {}

/** A string's characters after its opening quote, through its closing one (the native regex engine is the fast loop). */
const STRING_BODY = /[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y;

export function readTopLevel(text: string, wanted: ReadonlySet<string>): TopLevel | undefined {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new NotStrict();
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  /** Skips a string starting at `i` (a quote); returns whether it had escapes. */
  const skipString = (): boolean => {
    STRING_BODY.lastIndex = i + 1;
    const m = STRING_BODY.exec(text);
    if (!m) return fail();
    i = STRING_BODY.lastIndex;
    return m[0].includes('\\');
  };
  const stringAt = (start: number, escaped: boolean): string => (escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1));
  const number = (): void => {
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
  };
  const literal = (word: string): void => {
    if (!text.startsWith(word, i)) fail();
    i += word.length;
  };
  /** Skips any value; iterative over containers, so deep nesting cannot overflow the stack. */
  const value = (): void => {
    // Each entry: 123 `{` or 91 `[`, and whether the container still awaits its first item.
    const stack: number[] = [];
    for (;;) {
      ws();
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        i++;
        ws();
        const close = c === 123 ? 125 : 93;
        if (text.charCodeAt(i) === close) {
          i++;
        } else {
          stack.push(c);
          if (c === 123) member();
          continue;
        }
      } else if (c === 34) skipString();
      else if (c === 116) literal('true');
      else if (c === 102) literal('false');
      else if (c === 110) literal('null');
      else number();
      // After a value: a comma continues the innermost container, its bracket closes it.
      for (;;) {
        if (stack.length === 0) return;
        ws();
        const top = stack[stack.length - 1]!;
        const d = text.charCodeAt(i);
        if (d === 44) {
          i++;
          if (top === 123) {
            ws();
            member();
          }
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
  };
  /** A key and its colon, inside an object below the top level. */
  const member = (): void => {
    if (text.charCodeAt(i) !== 34) fail();
    skipString();
    ws();
    if (text.charCodeAt(i) !== 58) fail();
    i++;
  };

  try {
    ws();
    const strings = new Map<string, string | null>();
    let keys: string[] | undefined;
    if (text.charCodeAt(i) === 123) {
      keys = [];
      i++;
      ws();
      if (text.charCodeAt(i) === 125) i++;
      else {
        for (;;) {
          ws();
          if (text.charCodeAt(i) !== 34) fail();
          const start = i;
          const key = stringAt(start, skipString());
          keys.push(key);
          ws();
          if (text.charCodeAt(i) !== 58) fail();
          i++;
          ws();
          if (wanted.has(key)) {
            if (text.charCodeAt(i) === 34) {
              const s = i;
              strings.set(key, stringAt(s, skipString()));
            } else {
              strings.set(key, null);
              value();
            }
          } else value();
          ws();
          const d = text.charCodeAt(i);
          i++;
          if (d === 125) break;
          if (d !== 44) fail();
        }
      }
    } else value();
    ws();
    if (i !== n) fail();
    return { keys, strings };
  } catch {
    // Not strict JSON, or (a string longer than the regular expression engine's stack) not read here: the caller parses in full.
    return undefined;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

