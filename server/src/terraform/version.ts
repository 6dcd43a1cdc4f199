/**
 * Terraform module version constraints (`version = "~> 21.0"`), read the way
 * Terraform reads them (hashicorp/go-version): comma-separated conditions,
 * each `=`, `!=`, `>`, `>=`, `<`, `<=` or `~>` followed by a version. Rules
 * need one question answered: is every version the constraint admits at
 * least (or below) some major? Anything the tool cannot parse is unknown.
 */

/** `[major, minor, patch]`; missing parts are 0. */
export type Version = readonly [number, number, number];

/** The versions a constraint admits: from `lower` (inclusive), below `upper` (exclusive) when bounded. */
export interface VersionRange {
  readonly lower: Version;
  readonly upper?: Version;
}

const ZERO: Version = [0, 0, 0];

/**
 * The range a constraint admits, or undefined when the tool cannot read it
 * (a syntax Terraform rejects, `||`, or a range that admits nothing).
 * `!=` only removes single versions and does not change the bounds.
 */
export function parseVersionConstraint(text: string): VersionRange | undefined {
  let lower: Version = ZERO;
  let upper: Version | undefined;
  const raise = (v: Version): void => {
    if (compareVersions(v, lower) > 0) lower = v;
  };
  const cap = (v: Version): void => {
    if (upper === undefined || compareVersions(v, upper) < 0) upper = v;
  };
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  for (const part of parts) {
    const m = /^(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(part);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    const segments = [m[2], m[3], m[4]].filter((s) => s !== undefined).length;
    const v: Version = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
    switch (op) {
      case '=':
        raise(v);
        cap(next(v, 3));
        break;
      case '>=':
        raise(v);
        break;
      case '>':
        raise(next(v, 3));
        break;
      case '<':
        cap(v);
        break;
      case '<=':
        cap(next(v, 3));
        break;
      case '~>':
        // `~> 21.3.1` admits >= 21.3.1, < 21.4; `~> 21.0` admits < 22; `~> 21` only says >= 21.
        raise(v);
        if (segments >= 2) cap(next(v, segments - 1));
        break;
      case '!=':
        break;
    }
  }
  if (upper !== undefined && compareVersions(lower, upper) >= 0) return undefined;
  return upper === undefined ? { lower } : { lower, upper };
}

/**
 * Whether every version a constraint admits has at least this major:
 * `true` (all do), `false` (none does), `undefined` (some may, or the
 * constraint is absent or unreadable).
 */
export function admitsOnlyMajorAtLeast(constraint: string | undefined, major: number): boolean | undefined {
  if (constraint === undefined) return undefined;
  const range = parseVersionConstraint(constraint);
  if (!range) return undefined;
  if (range.lower[0] >= major) return true;
  if (range.upper !== undefined && compareVersions(range.upper, [major, 0, 0]) <= 0) return false;
  return undefined;
}

/** Whether the constraint admits exactly one release (`21.0.0`, `= 21.0.0`, `>= 21.0.0, < 21.0.1`). */
export function exactVersion(constraint: string | undefined): Version | undefined {
  // A pre-release (`21.0.0-rc1`) precedes the release: not the release itself.
  if (constraint === undefined || constraint.includes('-')) return undefined;
  const range = parseVersionConstraint(constraint);
  if (!range?.upper) return undefined;
  return compareVersions(next(range.lower, 3), range.upper) === 0 ? range.lower : undefined;
}

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The first version after every version that agrees with `v` in its first `segments` parts. */
function next(v: Version, segments: number): Version {
  if (segments <= 1) return [v[0] + 1, 0, 0];
  if (segments === 2) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}
