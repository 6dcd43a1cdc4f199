/**
 * A VS Code glob (`**` segments, `*`, `{a,b}` alternatives) as a regular
 * expression over a workspace-relative path: what a client does with the
 * globs of activation events, document selectors and file watchers.
 */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function matchesGlob(glob: string, relativePath: string): boolean {
  return globRegExp(glob).test(relativePath);
}
