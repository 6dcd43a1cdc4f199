/**
 * A fast reader for the block YAML most configuration is written in: block
 * maps and sequences (`- key: v` compact maps too), one-line plain, single-
 * and double-quoted scalars, block scalars (`|`, `>`), flow collections on
 * one line, comments, blank lines and `---` document markers. `yaml` spends
 * about 10 µs per node in its lexer and CST parser; this reads the same text
 * line by line for a tenth of that.
 *
 * It returns `undefined` ("bail out") on anything outside that subset, or
 * that it does not fully understand — anchors, aliases, tags, merge keys,
 * explicit keys, directives, multi-line plain or quoted scalars, flow
 * collections over several lines, tabs, `\r`, any syntax error — and the
 * caller then parses with `yaml`. What it returns is what `yaml`'s `parseAllDocuments` composes for
 * the same text, node for node: the same ranges (`[start, valueEnd,
 * nodeEnd]`: a collection's value ends where its last item's node ends, and
 * a node's end takes in trailing comment lines as `yaml`'s CST parser
 * attaches them), the same scalar types (the YAML 1.2 core schema, as
 * `yaml` resolves it), the same documents with the same offsets.
 * `test/parse/yaml-fast.test.ts` checks that, differentially, over every
 * YAML text of the fixture corpus and generated variations of it.
 *
 * Architecture invariant: knows nothing of IRSA, and nothing of templates
 * or holes (the caller masks them before).
 */

export interface FastScalar {
  readonly kind: 'scalar';
  readonly start: number;
  /** Where the value's text ends. */
  readonly end: number;
  /** Where the node ends: with the rest of its line, comments included. */
  nodeEnd: number;
  readonly value: string | number | boolean | null;
}

export interface FastMap {
  readonly kind: 'map';
  readonly start: number;
  end: number;
  nodeEnd: number;
  readonly keys: FastScalar[];
  readonly values: FastNode[];
}

export interface FastSeq {
  readonly kind: 'seq';
  readonly start: number;
  end: number;
  nodeEnd: number;
  readonly items: FastNode[];
}

export type FastNode = FastScalar | FastMap | FastSeq;

export interface FastDocument {
  readonly contents: FastNode;
  /** Offsets of the document in the text, as `yaml`'s `doc.range[0]` and `doc.range[2]`. */
  readonly start: number;
  readonly end: number;
}

/**
 * The documents of `text`, or `undefined` when the text is outside the
 * subset this reader handles (the caller then parses with `yaml`). With
 * `strict`, an unexpected exception (a fault of this reader) is thrown
 * instead of being taken as a reason to give up.
 */
export function readBlockYaml(text: string, strict = false): FastDocument[] | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (e) {
    // A fault of this reader must not cost the file: `yaml` reads it. The differential tests run `strict`, where it shows.
    if (e === BAIL || !strict) return undefined;
    throw e;
  }
}

/** Characters the reader leaves to `yaml`: tabs, `\r`, other controls, BOM, Unicode line breaks; and every indicator of anchors, aliases, tags and directives is checked where it would start a node. */
const UNSUPPORTED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

const BAIL = new Error('outside the fast YAML subset');

function bail(): never {
  throw BAIL;
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const DOT = 0x2e;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const PIPE = 0x7c;
const GREATER = 0x3e;

function isFlowIndicator(ch: number): boolean {
  return ch === COMMA || ch === OPEN_BRACKET || ch === CLOSE_BRACKET || ch === OPEN_BRACE || ch === CLOSE_BRACE;
}

/** A token of `yaml`'s CST that only separates: space, comment or line break. */
interface Trivia {
  readonly type: 'space' | 'comment' | 'newline';
  readonly start: number;
  readonly end: number;
  /** For comments: the indentation of the line they are on. */
  readonly indent: number;
}

/** The last item of a collection awaits its value (`key:` or `-` with nothing after it on the line). */
interface Pending {
  /** Where `yaml` puts an empty value: after the indicator and the spaces that follow it. */
  readonly position: number;
  readonly tokens: Trivia[];
}

/** Comment and blank lines after a collection's last value, which `yaml` keeps as an item of their own. */
interface TrailingItem {
  hasComment: boolean;
  maxCommentIndent: number;
}

interface Frame {
  readonly node: FastMap | FastSeq;
  readonly indent: number;
  /** The last item's value, once it has one. */
  last: FastNode | undefined;
  /** The last value when it is a scalar or flow collection on its line: indented comment lines below it become part of it. */
  extendable: FastNode | undefined;
  pending: Pending | undefined;
  trailing: TrailingItem | undefined;
}

interface OpenDocument {
  readonly start: number;
  /** For an explicit document (`---`): where an empty document's null value sits. */
  readonly emptyPosition: number;
  hasComment: boolean;
  root: Frame | undefined;
  /** Comment or blank lines after the root collection's last value, which `yaml` counts into the document. */
  trailing?: boolean;
}

/** A scalar read on one line, and what follows it. */
interface LineScalar {
  readonly start: number;
  readonly end: number;
  readonly value: string | number | boolean | null;
  /** Offset of the `:` of a block mapping key after it, or -1. */
  readonly colon: number;
}

class Reader {
  private readonly documents: FastDocument[] = [];
  private readonly stack: Frame[] = [];
  private doc: OpenDocument | undefined;
  private lineStart = 0;
  private lineEnd = 0;
  /** After the line's line break (or the end of the text on the last line). */
  private next = 0;

  constructor(private readonly text: string) {}

  read(): FastDocument[] {
    const text = this.text;
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      let le = text.indexOf('\n', pos);
      if (le < 0) le = n;
      this.lineStart = pos;
      this.lineEnd = le;
      this.next = le < n ? le + 1 : n;
      let i = pos;
      while (i < le && text.charCodeAt(i) === SPACE) i++;
      if (i === le) this.trivia(i - pos, -1);
      else if (text.charCodeAt(i) === HASH) this.trivia(i - pos, i);
      else this.content(i);
      pos = this.next;
    }
    this.endDocument(n, false);
    return this.documents;
  }

  /** A blank line, or a comment line when `comment` ≥ 0 (its `#`). */
  private trivia(indent: number, comment: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      // Before a document's content: only an explicit empty document's range depends on it.
      if (this.doc && comment >= 0) this.doc.hasComment = true;
      return;
    }
    if (top.pending) {
      this.lineTokens(top.pending.tokens, indent, comment);
      return;
    }
    if (comment >= 0 && indent > top.indent && top.extendable && !top.trailing?.hasComment) {
      // `yaml` gives a comment line indented deeper than the collection to the value above it.
      top.extendable.nodeEnd = this.next;
      top.trailing = undefined;
      return;
    }
    top.trailing ??= { hasComment: false, maxCommentIndent: -1 };
    if (comment >= 0) {
      top.trailing.hasComment = true;
      top.trailing.maxCommentIndent = Math.max(top.trailing.maxCommentIndent, indent);
    }
  }

  private lineTokens(tokens: Trivia[], indent: number, comment: number): void {
    const s = this.lineStart;
    if (indent > 0) tokens.push({ type: 'space', start: s, end: s + indent, indent: 0 });
    if (comment >= 0) tokens.push({ type: 'comment', start: comment, end: this.lineEnd, indent });
    if (this.lineEnd < this.text.length) tokens.push({ type: 'newline', start: this.lineEnd, end: this.lineEnd + 1, indent: 0 });
  }

  private content(i: number): void {
    const text = this.text;
    const col = i - this.lineStart;
    const ch = text.charCodeAt(i);
    if (col === 0 && (ch === DASH || ch === DOT || ch === 0x25 /* % */)) {
      if (text.startsWith('---', i) && this.blankOrEnd(i + 3)) {
        this.documentStart(i);
        return;
      }
      if (ch !== DASH) {
        if (text.startsWith('...', i) && this.blankOrEnd(i + 3)) bail();
        if (ch === 0x25) bail();
      }
    }
    const seq = ch === DASH && this.blankOrEnd(i + 1);
    const scalar = seq ? undefined : this.scalar(i, true);
    // A scalar alone on its line: a document that is one scalar, a multi-line scalar, or an error.
    if (!seq && scalar!.colon < 0) bail();
    const place = this.close(col, seq ? 'seq' : 'key', i);
    // An implicit document starts with its first content line, indentation included (a heredoc body is indented).
    if (place === 'root') this.doc ??= { start: this.lineStart, emptyPosition: i, hasComment: false, root: undefined };
    let frame: Frame;
    if (place === 'item') {
      frame = this.stack[this.stack.length - 1]!;
      // Comment lines before the item are its own now, no longer the collection's trailing ones.
      frame.trailing = undefined;
    } else {
      frame = this.open(seq ? 'seq' : 'map', col, i);
      if (place === 'root') this.doc!.root = frame;
    }
    if (seq) this.seqItem(frame, i);
    else this.mapItem(frame, scalar!);
  }

  /**
   * Closes what the line at `col` ends, as `yaml` does, and says where its
   * content goes: a new item of the top collection, the value the top
   * collection's last item awaits, or the root of a document.
   */
  private close(col: number, type: 'seq' | 'key', contentStart: number): 'item' | 'value' | 'root' {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        if (this.doc?.root) bail();
        return 'root';
      }
      if (top.pending) {
        if (col > top.indent || (col === top.indent && type === 'seq' && top.node.kind === 'map')) {
          top.pending = undefined;
          return 'value';
        }
        const atNextItem = col === top.indent && top.node.kind === 'map';
        this.emptyValue(top, atNextItem, contentStart, col > 0);
        if (col === top.indent && (top.node.kind === 'map' ? type === 'key' : type === 'seq')) return 'item';
        this.pop(contentStart);
        continue;
      }
      if (col > top.indent) bail();
      if (col === top.indent) {
        if (top.node.kind === 'map') {
          if (type === 'key') return 'item';
          bail();
        }
        if (type === 'seq') return 'item';
      }
      this.pop(contentStart);
    }
  }

  /** The null value of a `key:` or `-` left without one, with the range `yaml` gives it. */
  private emptyValue(frame: Frame, atNextItem: boolean, contentStart: number, indented: boolean): void {
    const pending = frame.pending!;
    frame.pending = undefined;
    const tokens = pending.tokens;
    // The next line's indentation joins the separator before the line's content is read.
    if (indented) tokens.push({ type: 'space', start: this.lineStart, end: contentStart, indent: 0 });
    let count = tokens.length;
    if (atNextItem) {
      // `yaml` hands the lines after the second line break to the next item.
      const breaks: number[] = [];
      for (let k = 0; k < tokens.length; k++) {
        const t = tokens[k]!;
        if (t.type === 'newline') breaks.push(k);
        else if (t.type === 'comment' && t.indent > frame.indent) breaks.length = 0;
      }
      if (breaks.length >= 2) count = breaks[1]!;
    }
    let hasComment = false;
    let end = pending.position;
    for (let k = 0; k < count; k++) {
      const t = tokens[k]!;
      if (t.type === 'comment') hasComment = true;
      end = t.end;
    }
    if (count > 0 && count < tokens.length) end = tokens[count]!.start;
    const value: FastScalar = { kind: 'scalar', start: pending.position, end: pending.position, nodeEnd: hasComment ? end : pending.position, value: null };
    this.setValue(frame, value, false);
  }

  private setValue(frame: Frame, value: FastNode, extendable: boolean): void {
    if (frame.node.kind === 'map') frame.node.values.push(value);
    else frame.node.items.push(value);
    frame.last = value;
    frame.extendable = extendable ? value : undefined;
  }

  private open(kind: 'map' | 'seq', indent: number, start: number): Frame {
    const node: FastMap | FastSeq = kind === 'map' ? { kind, start, end: start, nodeEnd: start, keys: [], values: [] } : { kind, start, end: start, nodeEnd: start, items: [] };
    const parent = this.stack[this.stack.length - 1];
    if (parent) this.setValue(parent, node, false);
    const frame: Frame = { node, indent, last: undefined, extendable: undefined, pending: undefined, trailing: undefined };
    this.stack.push(frame);
    return frame;
  }

  /** Ends the top collection at `at` (where the content that ends it starts). */
  private pop(at: number): void {
    const frame = this.stack.pop()!;
    const node = frame.node;
    node.end = frame.last ? frame.last.nodeEnd : node.start;
    node.nodeEnd = node.end;
    const trailing = frame.trailing;
    if (trailing) {
      const parent = this.stack[this.stack.length - 1];
      if (frame.indent === 0 || trailing.maxCommentIndent < frame.indent) {
        // Comment lines less indented than the collection belong to what encloses it.
        if (parent) parent.trailing = trailing;
        else this.doc!.trailing = true;
      } else node.nodeEnd = at;
    }
  }

  private documentStart(i: number): void {
    this.endDocument(i, true);
    const text = this.text;
    let j = i + 3;
    while (j < this.lineEnd && text.charCodeAt(j) === SPACE) j++;
    let hasComment = false;
    if (j < this.lineEnd) {
      if (text.charCodeAt(j) !== HASH || j === i + 3) bail();
      hasComment = true;
    }
    this.doc = { start: i, emptyPosition: j, hasComment, root: undefined };
  }

  /** Ends the open document at `at`: a `---` (`marker`) or the end of the text. */
  private endDocument(at: number, marker: boolean): void {
    const doc = this.doc;
    if (!doc) return;
    const top = this.stack[this.stack.length - 1];
    if (top?.pending) this.emptyValue(top, marker && top.indent === 0 && top.node.kind === 'map', at, false);
    while (this.stack.length > 0) this.pop(at);
    this.doc = undefined;
    if (doc.root) {
      this.documents.push({ contents: doc.root.node, start: doc.start, end: doc.trailing ? at : doc.root.node.nodeEnd });
      return;
    }
    // `---` and nothing else: a document whose value is an empty scalar.
    const end = doc.hasComment ? at : doc.emptyPosition;
    this.documents.push({ contents: { kind: 'scalar', start: doc.emptyPosition, end: doc.emptyPosition, nodeEnd: end, value: null }, start: doc.start, end });
  }

  private mapItem(frame: Frame, key: LineScalar): void {
    if (key.value === '<<') bail();
    const node = frame.node as FastMap;
    node.keys.push({ kind: 'scalar', start: key.start, end: key.end, nodeEnd: key.end, value: key.value });
    this.value(frame, key.colon + 1, false);
  }

  private seqItem(frame: Frame, dash: number): void {
    const text = this.text;
    let j = dash + 1;
    while (j < this.lineEnd && text.charCodeAt(j) === SPACE) j++;
    if (j < this.lineEnd && text.charCodeAt(j) !== HASH) {
      const ch = text.charCodeAt(j);
      if (ch === DASH && this.blankOrEnd(j + 1)) bail();
      if (ch !== OPEN_BRACKET && ch !== OPEN_BRACE && ch !== PIPE && ch !== GREATER) {
        const scalar = this.scalar(j, true);
        if (scalar.colon >= 0) {
          // `- key: value`: a map whose items start at the key's column.
          const map = this.open('map', j - this.lineStart, j);
          this.mapItem(map, scalar);
          return;
        }
      }
    }
    this.value(frame, dash + 1, true);
  }

  /** The value after a `:` or `-` at `from`, up to the end of the line. */
  private value(frame: Frame, from: number, inSeq: boolean): void {
    const text = this.text;
    const le = this.lineEnd;
    let j = from;
    while (j < le && text.charCodeAt(j) === SPACE) j++;
    if (j === le || text.charCodeAt(j) === HASH) {
      if (j < le && j === from) bail();
      const tokens: Trivia[] = [];
      if (j > from) tokens.push({ type: 'space', start: from, end: j, indent: 0 });
      if (j < le) tokens.push({ type: 'comment', start: j, end: le, indent: frame.indent });
      if (le < text.length) tokens.push({ type: 'newline', start: le, end: le + 1, indent: 0 });
      frame.pending = { position: j, tokens };
      if (frame.node.kind === 'map') frame.last = undefined;
      return;
    }
    if (j === from && !inSeq) bail();
    const ch = text.charCodeAt(j);
    if (ch === OPEN_BRACKET || ch === OPEN_BRACE) {
      const node = this.flow(j);
      this.lineRest(node.end);
      node.nodeEnd = this.next;
      this.setValue(frame, node, true);
      return;
    }
    if (ch === PIPE || ch === GREATER) {
      this.setValue(frame, this.blockScalar(j, frame.indent), false);
      return;
    }
    const scalar = this.scalar(j, false);
    if (scalar.colon >= 0) bail();
    this.setValue(frame, { kind: 'scalar', start: scalar.start, end: scalar.end, nodeEnd: this.next, value: scalar.value }, true);
  }

  /** After a node at `j`: only spaces and a comment may follow on the line. */
  private lineRest(j: number): void {
    const text = this.text;
    const start = j;
    while (j < this.lineEnd && text.charCodeAt(j) === SPACE) j++;
    if (j < this.lineEnd && (text.charCodeAt(j) !== HASH || j === start)) bail();
  }

  /**
   * A flow collection that opens and closes on this line, of scalars and
   * flow collections (`[a, "b"]`, `{k: v, l: [1, 2]}`); anything else in
   * flow (`? `, `k:v` pairs in sequences, empty entries, comments, a
   * trailing comma, more lines) is left to `yaml`.
   */
  private flow(start: number, depth = 0): FastMap | FastSeq {
    if (depth > 50) bail();
    const text = this.text;
    const le = this.lineEnd;
    const isSeq = text.charCodeAt(start) === OPEN_BRACKET;
    const close = isSeq ? CLOSE_BRACKET : CLOSE_BRACE;
    const node: FastMap | FastSeq = isSeq ? { kind: 'seq', start, end: start, nodeEnd: start, items: [] } : { kind: 'map', start, end: start, nodeEnd: start, keys: [], values: [] };
    let k = this.skipSpaces(start + 1);
    if (text.charCodeAt(k) === close) {
      node.end = node.nodeEnd = k + 1;
      return node;
    }
    for (;;) {
      if (k >= le) bail();
      if (node.kind === 'seq') node.items.push(this.flowValue(k, depth));
      else {
        const key = this.flowScalar(k, true);
        if (key.colon < 0 || key.value === '<<') bail();
        node.keys.push({ kind: 'scalar', start: key.start, end: key.end, nodeEnd: key.end, value: key.value });
        const value = this.skipSpaces(key.colon + 1);
        if (value === key.colon + 1) bail();
        node.values.push(this.flowValue(value, depth));
      }
      const last = node.kind === 'seq' ? node.items[node.items.length - 1]! : node.values[node.values.length - 1]!;
      k = this.skipSpaces(last.end);
      const ch = text.charCodeAt(k);
      if (ch === close) {
        node.end = node.nodeEnd = k + 1;
        return node;
      }
      if (ch !== COMMA) bail();
      k = this.skipSpaces(k + 1);
      if (k >= le || text.charCodeAt(k) === close || text.charCodeAt(k) === COMMA) bail();
    }
  }

  private flowValue(k: number, depth: number): FastNode {
    const ch = this.text.charCodeAt(k);
    if (ch === OPEN_BRACKET || ch === OPEN_BRACE) return this.flow(k, depth + 1);
    const scalar = this.flowScalar(k, false);
    return { kind: 'scalar', start: scalar.start, end: scalar.end, nodeEnd: scalar.end, value: scalar.value };
  }

  /** A scalar inside a flow collection; with `isKey`, the `: ` after it is found. */
  private flowScalar(i: number, isKey: boolean): LineScalar {
    const text = this.text;
    const le = this.lineEnd;
    const ch = text.charCodeAt(i);
    let end: number;
    let value: string | number | boolean | null;
    if (ch === DOUBLE_QUOTE || ch === SINGLE_QUOTE) {
      ({ end, value } = this.quoted(i));
    } else {
      if (!plainFirst(ch, text.charCodeAt(i + 1), i + 1 < le) || (ch === DASH && isFlowIndicator(text.charCodeAt(i + 1)))) bail();
      end = i + 1;
      for (let k = i + 1; k < le; k++) {
        const c = text.charCodeAt(k);
        if (isFlowIndicator(c)) break;
        if (c === SPACE) {
          if (text.charCodeAt(k + 1) === HASH) bail();
          continue;
        }
        if (c === COLON) {
          const next = text.charCodeAt(k + 1);
          if (k + 1 >= le || next === SPACE || isFlowIndicator(next)) break;
        }
        end = k + 1;
      }
      value = plainValue(text.slice(i, end));
    }
    const j = this.skipSpaces(end);
    const colon = text.charCodeAt(j) === COLON ? j : -1;
    if (colon >= 0 && !(isKey && j + 1 < le && text.charCodeAt(j + 1) === SPACE)) bail();
    if (isKey && colon < 0) bail();
    return { start: i, end, value, colon };
  }

  private skipSpaces(k: number): number {
    while (k < this.lineEnd && this.text.charCodeAt(k) === SPACE) k++;
    return k;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `start`,
   * in a collection indented `parentIndent`: where `yaml`'s lexer ends it
   * and the value its composer gives it (ported from `lexer.js`
   * `parseBlockScalar` and `compose/resolve-block-scalar.js`). Explicit
   * indentation indicators and empty or irregular ones are left to `yaml`.
   */
  private blockScalar(start: number, parentIndent: number): FastScalar {
    const text = this.text;
    const n = text.length;
    const folded = text.charCodeAt(start) === GREATER;
    let k = start + 1;
    let chomp = '';
    if (text[k] === '-' || text[k] === '+') chomp = text[k++]!;
    const headerEnd = k;
    this.lineRest(k);
    if (headerEnd === this.lineEnd) {
      // Fine: nothing after the header.
    } else if (text.charCodeAt(headerEnd) !== SPACE) bail();
    // The lexer: the first non-blank line sets the indentation; lines belong while blank or at least as indented.
    const pos = this.next;
    if (pos >= n) bail();
    let nl = pos - 1;
    let indent = 0;
    let i = pos;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === SPACE) indent++;
      else if (c === 0x0a) {
        nl = i;
        indent = 0;
      } else break;
    }
    if (i >= n || indent < parentIndent + 1) bail();
    const blockIndent = indent;
    for (;;) {
      const lineStart = nl + 1;
      let spaces = 0;
      while (text.charCodeAt(lineStart + spaces) === SPACE) spaces++;
      const at = lineStart + spaces;
      if (!(at < n && text.charCodeAt(at) === 0x0a) && spaces < blockIndent) break;
      nl = text.indexOf('\n', at);
      if (nl === -1) {
        nl = n;
        break;
      }
    }
    if (chomp !== '+') {
      for (;;) {
        let j = nl - 1;
        const lastChar = j;
        while (text.charCodeAt(j) === SPACE) j--;
        if (text.charCodeAt(j) === 0x0a && j >= pos && j + 1 + blockIndent > lastChar) nl = j;
        else break;
      }
    }
    const sourceEnd = Math.min(nl + 1, n);
    const value = blockScalarValue(text.slice(pos, sourceEnd), parentIndent, folded, chomp);
    this.next = sourceEnd;
    return { kind: 'scalar', start, end: sourceEnd, nodeEnd: sourceEnd, value };
  }

  private blankOrEnd(i: number): boolean {
    return i >= this.lineEnd || this.text.charCodeAt(i) === SPACE;
  }

  /**
   * The scalar at `i`, on this line. With `keyAllowed`, a `:` after it
   * (followed by a space or the line's end) makes it a block mapping key.
   */
  private scalar(i: number, keyAllowed: boolean): LineScalar {
    const text = this.text;
    const le = this.lineEnd;
    const ch = text.charCodeAt(i);
    let end: number;
    let value: string | number | boolean | null;
    if (ch === DOUBLE_QUOTE || ch === SINGLE_QUOTE) {
      ({ end, value } = this.quoted(i));
      let j = end;
      while (j < le && text.charCodeAt(j) === SPACE) j++;
      if (j < le && text.charCodeAt(j) === COLON && this.blankOrEnd(j + 1)) {
        if (!keyAllowed) bail();
        return { start: i, end, value, colon: j };
      }
      if (j < le && (text.charCodeAt(j) !== HASH || j === end)) bail();
      return { start: i, end, value, colon: -1 };
    }
    if (!plainFirst(ch, text.charCodeAt(i + 1), i + 1 < le)) bail();
    end = i + 1;
    let colon = -1;
    for (let k = i + 1; k < le; k++) {
      const c = text.charCodeAt(k);
      if (c === SPACE) {
        if (text.charCodeAt(k + 1) === HASH) break;
        continue;
      }
      if (c === COLON && (k + 1 === le || text.charCodeAt(k + 1) === SPACE)) {
        colon = k;
        break;
      }
      end = k + 1;
    }
    if (colon >= 0 && !keyAllowed) bail();
    // An implicit key longer than this is an error to YAML; leave the message to `yaml`.
    if (colon >= 0 && colon - i > 1000) bail();
    return { start: i, end, value: plainValue(text.slice(i, end)), colon };
  }

  private quoted(i: number): { end: number; value: string } {
    return this.text.charCodeAt(i) === DOUBLE_QUOTE ? this.doubleQuoted(i) : this.singleQuoted(i);
  }

  private singleQuoted(i: number): { end: number; value: string } {
    const text = this.text;
    let value = '';
    let from = i + 1;
    for (let k = i + 1; k < this.lineEnd; k++) {
      if (text.charCodeAt(k) !== SINGLE_QUOTE) continue;
      value += text.slice(from, k);
      if (text.charCodeAt(k + 1) === SINGLE_QUOTE && k + 1 < this.lineEnd) {
        value += "'";
        k++;
        from = k + 1;
        continue;
      }
      return { end: k + 1, value };
    }
    return bail();
  }

  private doubleQuoted(i: number): { end: number; value: string } {
    const text = this.text;
    let value = '';
    let from = i + 1;
    for (let k = i + 1; k < this.lineEnd; k++) {
      const c = text.charCodeAt(k);
      if (c === DOUBLE_QUOTE) return { end: k + 1, value: value + text.slice(from, k) };
      if (c !== BACKSLASH) continue;
      const escaped = ESCAPES[text[k + 1] ?? ''];
      if (escaped === undefined || k + 1 >= this.lineEnd) bail();
      value += text.slice(from, k) + escaped;
      k++;
      from = k + 1;
    }
    return bail();
  }
}

/**
 * The value of a block scalar's lines (`source`, from the line after the
 * header), as `yaml`'s `resolveBlockScalar` computes it without an explicit
 * indentation indicator; gives up where that reports an error.
 */
function blockScalarValue(source: string, parentIndent: number, folded: boolean, chomp: string): string {
  const split = source.split(/\n( *)/);
  const first = split[0]!;
  const lead = /^( *)/.exec(first)![1]!;
  const lines: [string, string][] = [[lead, first.slice(lead.length)]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i]!, split[i + 1]!]);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]![1] === '') chompStart = i;
    else break;
  }
  if (chompStart === 0) bail();
  let trimIndent = parentIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i]!;
    if (content === '') {
      if (indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) bail();
      trimIndent = indent.length;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i]![0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i]![0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const [indent, content] = lines[i]!;
    if (content && indent.length < trimIndent) bail();
    if (!folded) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent) {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === '+') {
    for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i]![0].slice(trimIndent);
    if (value[value.length - 1] !== '\n') value += '\n';
  } else if (chomp !== '-') value += '\n';
  return value;
}

/** `yaml`'s escapes of double-quoted scalars, but for `\x`, `\u` and `\U` (left to it). */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/**
 * Whether a plain scalar may start with `ch` in block context: not with an
 * indicator, except `-`, `?`, `:` before a non-space. The reader leaves `?`
 * and `:` starts to `yaml` altogether.
 */
function plainFirst(ch: number, next: number, hasNext: boolean): boolean {
  switch (ch) {
    case DASH:
      return hasNext && next !== SPACE;
    case 0x3f: // ?
    case COLON:
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case 0x26: // & anchor
    case 0x2a: // * alias
    case 0x21: // ! tag
    case 0x7c: // | block scalar
    case 0x3e: // > block scalar
    case SINGLE_QUOTE:
    case DOUBLE_QUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return false;
    default:
      return true;
  }
}

/**
 * A plain scalar's value under the YAML 1.2 core schema, exactly as `yaml`
 * resolves it (`yaml/dist/schema/core`, tags tried in its order: null, bool,
 * octal, decimal and hexadecimal int, .inf/.nan, exponent float, float).
 */
export function plainValue(s: string): string | number | boolean | null {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = s.charCodeAt(0);
  // Every number starts with a digit, a sign or a dot.
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === DOT)) return s;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}
