/**
 * Three-valued strings.
 *
 * A value the engine reads from configuration is a sequence of segments:
 * literal text, a *symbol* (a value we cannot spell out but whose shape we
 * know, such as "the issuer URL of module.eks, with https://"), or an
 * *unknown* (a variable without default, an output of a module we do not
 * model). A value with only text segments is **known**; rules report errors
 * only on what is known, or on symbols whose shape alone proves the error
 * (e.g. a condition key built from an issuer URL that carries `https://`).
 */

export type SymbolKind =
  /** The issuer URL with scheme: `https://oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  | 'issuer-url'
  /** The issuer without scheme: `oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  | 'issuer-host'
  /** `arn:aws:iam::<account>:oidc-provider/<issuer-host>`. */
  | 'provider-arn'
  /** `arn:aws:iam::<account>:role/<name>` of a role declared in the workspace. */
  | 'role-arn'
  /** The name of a role declared in the workspace. */
  | 'role-name'
  /** The AWS account the configuration is applied in (`data.aws_caller_identity`). */
  | 'own-account';

export interface TextSegment {
  readonly kind: 'text';
  readonly text: string;
}

export interface SymbolSegment {
  readonly kind: 'symbol';
  readonly symbol: SymbolKind;
  /**
   * What the symbol belongs to, as a stable key: `tf:<module dir uri>#module.eks`,
   * `tf:<dir>#aws_iam_openid_connect_provider.this`, `eksctl:<uri>#<cluster>`.
   * Two symbols with the same kind and owner denote the same value.
   */
  readonly owner: string;
  /** The concrete text when the owner's configuration spells it out. */
  readonly resolved?: string;
}

export interface UnknownSegment {
  readonly kind: 'unknown';
  /** Why the value is unknown, for hover and hints ("var.cluster has no default"). */
  readonly reason: string;
  /** For `${name}` placeholders of templatefile(): the variable name. */
  readonly placeholder?: string;
  /** The placeholder as the file spells it (`{{ .Values.arn }}`, `<ACCOUNT_ID>`, `$ROLE`), for messages. */
  readonly spelling?: string;
  /** The Terraform expression the value comes from, as written (`var.issuer`), for messages. */
  readonly source?: string;
}

export type Segment = TextSegment | SymbolSegment | UnknownSegment;

export interface StrValue {
  readonly segments: readonly Segment[];
}

export function known(text: string): StrValue {
  return { segments: text === '' ? [] : [{ kind: 'text', text }] };
}

export function unknown(reason: string): StrValue {
  return { segments: [{ kind: 'unknown', reason }] };
}

export function symbol(kind: SymbolKind, owner: string, resolved?: string): StrValue {
  return { segments: [resolved === undefined ? { kind: 'symbol', symbol: kind, owner } : { kind: 'symbol', symbol: kind, owner, resolved }] };
}

/** Concatenates values, merging adjacent text. */
export function concat(...values: readonly StrValue[]): StrValue {
  const out: Segment[] = [];
  for (const value of values) {
    for (const segment of value.segments) {
      const last = out[out.length - 1];
      if (segment.kind === 'text' && last?.kind === 'text') {
        out[out.length - 1] = { kind: 'text', text: last.text + segment.text };
      } else if (segment.kind !== 'text' || segment.text !== '') {
        out.push(segment);
      }
    }
  }
  return { segments: out };
}

/** The text when every segment is text; undefined otherwise. */
export function knownText(value: StrValue): string | undefined {
  let text = '';
  for (const segment of value.segments) {
    if (segment.kind !== 'text') return undefined;
    text += segment.text;
  }
  return text;
}

/**
 * The text when every segment is text or a resolved symbol. Use this where
 * the concrete value matters (comparing issuers); use `knownText` where the
 * user's own spelling matters (an edit).
 */
export function resolvedText(value: StrValue): string | undefined {
  let text = '';
  for (const segment of value.segments) {
    if (segment.kind === 'text') text += segment.text;
    else if (segment.kind === 'symbol' && segment.resolved !== undefined) text += segment.resolved;
    else return undefined;
  }
  return text;
}

export function isKnown(value: StrValue): boolean {
  return value.segments.every((s) => s.kind === 'text');
}

/** The literal text before the first non-text segment. */
export function knownPrefix(value: StrValue): string {
  let text = '';
  for (const segment of value.segments) {
    if (segment.kind !== 'text') break;
    text += segment.text;
  }
  return text;
}

/**
 * A readable rendering for messages: symbols as the Terraform expression
 * that yields them (`${module.eks.oidc_provider}`), unknowns as the
 * expression they come from (`${var.issuer}`) or, when there is none, as
 * what is unknown (`<suffix Terraform generates for name_prefix>`). Never an
 * internal placeholder: the user must recognise every part.
 */
export function display(value: StrValue): string {
  return value.segments.map(displaySegment).join('');
}

/**
 * The value as its source writes it, when every part has one (a symbol's
 * expression, an unknown's Terraform source, a template placeholder's or a
 * runbook's `$VAR` as spelled); else undefined.
 */
export function sourceText(value: StrValue): string | undefined {
  if (value.segments.some((s) => s.kind === 'unknown' && s.source === undefined && s.placeholder === undefined && s.spelling === undefined)) return undefined;
  return display(value);
}

function displaySegment(s: Segment): string {
  if (s.kind === 'text') return s.text;
  if (s.kind === 'symbol') return s.resolved ?? '${' + symbolExpression(s) + '}';
  if (s.spelling !== undefined) return s.spelling;
  if (s.placeholder !== undefined) return '${' + s.placeholder + '}';
  if (s.source !== undefined) return '${' + s.source + '}';
  return s.reason.length > 0 && s.reason.length <= 60 ? `<${s.reason}>` : '<a value the tool cannot compute>';
}

/** The expression a user writes for a symbol, from its kind and owner. */
function symbolExpression(s: SymbolSegment): string {
  const owner = displayOwner(s.owner);
  const isModule = owner.startsWith('module.');
  const issuerUrl = isModule
    ? `${owner}.cluster_oidc_issuer_url`
    : /aws_eks_cluster\./.test(owner)
      ? `${owner}.identity[0].oidc[0].issuer`
      : s.owner.startsWith('eksctl:')
        ? 'issuer URL of the eksctl cluster'
        : `${owner}.url`;
  switch (s.symbol) {
    case 'issuer-url':
      return issuerUrl;
    case 'issuer-host':
      if (isModule) return `${owner}.oidc_provider`;
      // An OIDC provider's `url` is the issuer without `https://` once applied.
      if (/^(data\.)?aws_iam_openid_connect_provider\./.test(owner)) return `${owner}.url`;
      return `replace(${issuerUrl}, "https://", "")`;
    case 'provider-arn':
      return isModule ? `${owner}.oidc_provider_arn` : `${owner}.arn`;
    case 'role-arn':
      return `${owner}.arn`;
    case 'role-name':
      return `${owner}.name`;
    case 'own-account':
      return `${owner}.account_id`;
  }
}

/** `tf:file:///x/infra#module.eks` → `module.eks`. */
export function displayOwner(owner: string): string {
  const hash = owner.lastIndexOf('#');
  return hash >= 0 ? owner.slice(hash + 1) : owner;
}

/**
 * The Terraform address of an owner, as `terraform plan` prints it: for an
 * instance of a local module (`tf:<child>#tf:<caller>#module.x#aws_iam_role.r`)
 * `module.x.aws_iam_role.r`, so that two instances of one block read apart
 * in a message. Not for expressions to write in a file: inside the module,
 * the block is `aws_iam_role.r` (`displayOwner`).
 */
export function displayAddress(owner: string): string {
  return [...instancePath(owner), displayOwner(owner)].join('.');
}

/** For a block of a local module instance, its address (`module.x.aws_iam_role.r`); undefined for any other owner. */
export function instanceAddress(owner: string): string | undefined {
  return instancePath(owner).length > 0 ? displayAddress(owner) : undefined;
}

/** The `module.x` calls an owner key goes through, outermost first. */
function instancePath(owner: string): string[] {
  return owner.split('#').slice(0, -1).filter((p) => p.startsWith('module.'));
}

/**
 * Removes a literal prefix (`trimprefix`) or every occurrence of a literal
 * (`replace`) where the value's shape makes the result certain. Symbols with
 * a scheme lose it: `replace(<issuer-url>, "https://", "")` is `<issuer-host>`.
 */
export function stripScheme(value: StrValue, scheme: string, everywhere: boolean): StrValue {
  const out: Segment[] = [];
  let first = true;
  for (const segment of value.segments) {
    const applies = everywhere || first;
    first = false;
    if (!applies) {
      out.push(segment);
      continue;
    }
    if (segment.kind === 'text') {
      const text = everywhere ? segment.text.split(scheme).join('') : segment.text.startsWith(scheme) ? segment.text.slice(scheme.length) : segment.text;
      out.push({ kind: 'text', text });
    } else if (segment.kind === 'symbol' && segment.symbol === 'issuer-url' && scheme.startsWith('https://')) {
      const resolved = segment.resolved?.replace(/^https:\/\//, '');
      out.push(resolved === undefined ? { kind: 'symbol', symbol: 'issuer-host', owner: segment.owner } : { kind: 'symbol', symbol: 'issuer-host', owner: segment.owner, resolved });
    } else if (segment.kind === 'symbol' && segment.resolved !== undefined) {
      const text = everywhere ? segment.resolved.split(scheme).join('') : segment.resolved.startsWith(scheme) ? segment.resolved.slice(scheme.length) : segment.resolved;
      out.push({ kind: 'text', text });
    } else if (segment.kind === 'symbol' && segment.symbol !== 'provider-arn' && segment.symbol !== 'role-arn') {
      // issuer-host, role-name, own-account: never start with a scheme.
      out.push(segment);
    } else if (segment.kind === 'unknown') {
      const source = segment.source ?? segment.placeholder;
      const removed = source === undefined ? undefined : everywhere ? `replace(${source}, "${scheme}", "")` : `trimprefix(${source}, "${scheme}")`;
      out.push({ kind: 'unknown', reason: segment.reason, ...(removed !== undefined ? { source: removed } : {}) });
    } else {
      out.push({ kind: 'unknown', reason: `${scheme} removed from ${displayOwner(segment.owner)}`, source: everywhere ? `replace(${symbolExpression(segment)}, "${scheme}", "")` : `trimprefix(${symbolExpression(segment)}, "${scheme}")` });
    }
  }
  return concat({ segments: out });
}
