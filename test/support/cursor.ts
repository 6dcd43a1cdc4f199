/**
 * Fixtures with a cursor: the `//- /path` workspace format of `fixture.ts`,
 * where one file holds `$0` at the position a feature is asked about. The
 * marker is removed before analysis, so JSON stays JSON.
 */
import type { Position } from '../../server/src/common/text';
import type { Workspace } from '../../server/src/index/workspace';
import { FIXTURE_ROOT, parseFixture, workspaceOf } from './fixture';

export const CURSOR = '$0';

export interface CursorFixture {
  readonly workspace: Workspace;
  /** The file holding the cursor. */
  readonly uri: string;
  readonly position: Position;
}

export function withCursor(text: string): CursorFixture {
  const fixture = parseFixture(text);
  const files = new Map(fixture.files);
  let found: { uri: string; position: Position } | undefined;
  for (const [uri, content] of files) {
    const offset = content.indexOf(CURSOR);
    if (offset < 0) continue;
    if (found || content.indexOf(CURSOR, offset + 1) >= 0) throw new Error('a cursor fixture holds exactly one $0');
    const before = content.slice(0, offset).split('\n');
    found = { uri, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
    files.set(uri, content.slice(0, offset) + content.slice(offset + CURSOR.length));
  }
  if (!found) throw new Error('no $0 cursor in the fixture');
  return { workspace: workspaceOf({ files, expectations: [] }), ...found };
}

/** `/k8s/sa.yaml:4:3` for a span's start, relative to the fixture root, 1-based. */
export function placeOf(span: { uri: string; range: { start: Position } }): string {
  return `${span.uri.slice(FIXTURE_ROOT.length)}:${span.range.start.line + 1}:${span.range.start.character + 1}`;
}
