/**
 * TextMate snippet expansion, for the subset our snippets use: `$1`,
 * `${1}`, `${1:default}` (defaults may nest), `${1|a,b|}`, `$0`, and the
 * escapes `\$`, `\}`, `\\`. A tab stop takes the value the test gives it,
 * else its default (from whichever occurrence has one, as VS Code mirrors
 * it), else the first choice; `$0` becomes nothing. Continuation lines are
 * indented like the insertion point, as VS Code does.
 */

export function expandSnippet(body: string | readonly string[], values: Readonly<Record<number, string>> = {}, indent = ''): string {
  const text = typeof body === 'string' ? body : body.join('\n');
  const defaults = new Map<number, string>();
  collectDefaults(text, defaults);
  const fill = (n: number): string => (n === 0 ? '' : (values[n] ?? defaults.get(n) ?? ''));
  return render(text, fill).split('\n').join('\n' + indent);
}

/** Tab stops in the order of their first appearance, for the "in order" check. */
export function tabStops(body: string | readonly string[]): number[] {
  const text = typeof body === 'string' ? body : body.join('\n');
  const out: number[] = [];
  for (const m of text.matchAll(/(?<!\\)\$(?:\{(\d+)|(\d+))/g)) {
    const n = Number(m[1] ?? m[2]);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function collectDefaults(text: string, defaults: Map<number, string>): void {
  render(text, (n) => defaults.get(n) ?? '', (n, value) => {
    if (!defaults.has(n)) defaults.set(n, value);
  });
}

/** Renders `text`, calling `onDefault` with each placeholder's rendered default. */
function render(text: string, fill: (n: number) => string, onDefault?: (n: number, value: string) => void): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1]!)) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const simple = /^\$(\d+)/.exec(text.slice(i));
    if (simple) {
      out += fill(Number(simple[1]));
      i += simple[0].length;
      continue;
    }
    const open = /^\$\{(\d+)([:|}])/.exec(text.slice(i));
    if (!open) throw new Error(`unsupported snippet syntax at ${text.slice(i, i + 20)}`);
    const n = Number(open[1]);
    i += open[0].length;
    if (open[2] === '}') {
      out += fill(n);
      continue;
    }
    const end = closingBrace(text, i);
    const inner = text.slice(i, end);
    i = end + 1;
    if (open[2] === '|') {
      const choices = inner.replace(/\|$/, '').split(',');
      onDefault?.(n, choices[0]!);
      out += fill(n) || choices[0]!;
      continue;
    }
    const rendered = render(inner, fill, onDefault);
    onDefault?.(n, rendered);
    out += fill(n) || rendered;
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new Error('unclosed snippet placeholder');
}
