/**
 * Edits to trust policies in every syntax the engine reads them from: a
 * JSON file, JSON in a heredoc, `jsonencode({...})`, and
 * `data "aws_iam_policy_document"` blocks. Generated policies (eksctl, IRSA
 * modules) have no source to edit and get none of these.
 */
import type { LineIndex } from '../common/text';
import type { TrustPolicy, TrustStatement } from '../facts/types';
import { indentUnit, quoteLike, type StringSyntax } from './edits';
import { entryNamed, HCL, insertEntry, JSON_FILE, JSON_HEREDOC, keyLike, objectValue, readObjectAt, type ObjectSyntax, type SourceObject } from './source';
import type { FixContext, TextEdit } from './types';

/** How the strings of a policy are written: JSON in files and heredocs, HCL in jsonencode and policy documents, YAML in eksctl. */
export function policySyntax(policy: TrustPolicy): StringSyntax | undefined {
  switch (policy.origin) {
    case 'json-file':
    case 'heredoc':
    case 'markdown':
      return 'json';
    case 'jsonencode':
    case 'policy-document':
      return 'hcl';
    case 'eksctl':
      return 'yaml';
    case 'iam-module':
      return undefined;
  }
}

/** How a policy's structure is written, or undefined for generated policies. */
function policyObjectSyntax(policy: TrustPolicy): ObjectSyntax | undefined {
  if (policy.generated) return undefined;
  switch (policy.origin) {
    case 'json-file':
      return JSON_FILE;
    case 'heredoc':
    case 'markdown':
      // A block of a runbook may hold `${VAR}` placeholders, as a heredoc holds interpolations.
      return JSON_HEREDOC;
    case 'jsonencode':
    case 'policy-document':
      return HCL;
    default:
      return undefined;
  }
}

export interface StatementSource {
  readonly uri: string;
  readonly lines: LineIndex;
  readonly how: ObjectSyntax;
  /** The statement object, or the `statement { … }` block body of a policy document. */
  readonly object: SourceObject;
  readonly documentBlock: boolean;
  readonly syntax: StringSyntax;
}

/**
 * The statement's own text, when editing it changes only this statement:
 * not one written once and expanded many times (a `dynamic` block, a `for`
 * expression, a file two roles read).
 */
export function statementSource(policy: TrustPolicy, statement: TrustStatement, context: FixContext): StatementSource | undefined {
  const how = policyObjectSyntax(policy);
  const lines = context.lines(statement.span.uri);
  if (!how || !lines) return undefined;
  const shared = context.model.trustPolicies.flatMap((p) => p.statements).filter((s) => sameStart(s, statement)).length;
  if (shared !== 1) return undefined;
  const documentBlock = policy.origin === 'policy-document';
  let open = lines.offsetAt(statement.span.range.start);
  if (documentBlock) {
    if (!/^statement\b/.test(lines.text.slice(open, open + 9))) return undefined; // a dynamic block's content
    open = lines.text.indexOf('{', open);
    if (open < 0 || open > lines.offsetAt(statement.span.range.end)) return undefined;
  }
  const object = readObjectAt(lines.text, open, how);
  if (!object) return undefined;
  return { uri: statement.span.uri, lines, how, object, documentBlock, syntax: how.syntax === 'json' ? 'json' : 'hcl' };
}

function sameStart(a: TrustStatement, b: TrustStatement): boolean {
  return a.span.uri === b.span.uri && a.span.range.start.line === b.span.range.start.line && a.span.range.start.character === b.span.range.start.character;
}

/** A string as a policy writes it: JSON or an HCL template. */
export function policyString(source: StatementSource, value: string): string {
  return quoteLike('"', value, source.syntax);
}

/**
 * Adds a condition `operator` / `key` / `values` (source tokens, already
 * quoted) to a statement: into the operator's object when there is one,
 * else a new operator under `Condition`, else a new `Condition`; in a
 * policy document, a new `condition` block after the last one.
 */
export function addCondition(source: StatementSource, operator: string, key: string, values: readonly string[]): TextEdit | undefined {
  const { lines, how, object } = source;
  const text = lines.text;
  const unit = indentUnit(lines);
  const list = values.length === 1 && !source.documentBlock ? values[0]! : `[${values.join(', ')}]`;
  if (source.documentBlock) {
    const lastCondition = object.entries.filter((e) => e.block && e.key === 'condition').pop();
    return insertEntry(
      lines,
      object,
      how,
      { key: 'condition', block: true, value: ['{', `${unit}test     = ${policyString(source, operator)}`, `${unit}variable = ${key}`, `${unit}values   = ${list}`, '}'] },
      lastCondition,
    );
  }
  const conditionEntry = entryNamed(object, 'Condition');
  if (!conditionEntry) {
    const opKey = keyLike(object, operator, how, text);
    return insertEntry(lines, object, how, {
      key: keyLike(object, 'Condition', how, text),
      value: ['{', `${unit}${opKey}${sep(how)}{`, `${unit}${unit}${key}${sep(how)}${list}`, `${unit}}`, '}'],
    });
  }
  const conditions = objectValue(text, conditionEntry, how);
  if (!conditions) return undefined;
  const operatorEntry = entryNamed(conditions, operator);
  if (!operatorEntry) {
    return insertEntry(lines, conditions, how, { key: keyLike(conditions, operator, how, text), value: ['{', `${unit}${key}${sep(how)}${list}`, '}'] });
  }
  const operatorObject = objectValue(text, operatorEntry, how);
  if (!operatorObject) return undefined;
  return insertEntry(lines, operatorObject, how, { key, value: [list] });
}

function sep(how: ObjectSyntax): string {
  return how.syntax === 'json' ? ': ' : ' = ';
}
