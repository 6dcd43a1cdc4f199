/**
 * Markdown runbooks and READMEs: the IRSA configuration people write in
 * fenced code blocks and copy from there.
 *
 * - ```json: a trust policy, or a Kubernetes object;
 * - ```yaml: ServiceAccounts, workloads, eksctl `iam.serviceAccounts`;
 * - ```sh (bash, console…): `kubectl annotate sa … eks.amazonaws.com/role-arn=…`,
 *   `kubectl create sa`, `eksctl create iamserviceaccount`, and
 *   `aws iam create-role --role-name R --assume-role-policy-document …`
 *   with the policy inline (`'{…}'`) or in a heredoc the runbook writes to
 *   the file it names (`cat > trust.json <<EOF … EOF`); a
 *   `kubectl apply -f - <<EOF` heredoc is read as YAML.
 *
 * Each block is parsed as a slice of the `.md` file, so every span is a
 * position in it and a fix edits the block in place.
 *
 * Precision first: a runbook is full of placeholders and elisions. Every
 * placeholder (`<ACCOUNT_ID>`, `$CLUSTER`, `${ROLE_ARN}`, `$(aws sts …)`,
 * AWS's `EXAMPLED539D4633E53DE1B71EXAMPLE` issuer ids) is an unknown value;
 * a block that is not valid as written (`...` for elided parts, comments
 * in JSON) is skipped whole rather than read in part; a ServiceAccount
 * whose namespace is not written has an unknown one (the reader applies it
 * with `-n`); and only the facts of ServiceAccounts, workloads, roles and
 * trust policies are kept: a cluster config in a README describes a
 * cluster, it is not one (no launch templates, Fargate profiles, eksctl
 * `withOIDC` checks or cluster names for live checks).
 *
 * A trust policy gets a role only when the runbook names one for certain:
 * `aws iam create-role --role-name R` with that very document. Never from
 * the `.md` file's name or a heading.
 */
import type { Span } from '../common/text';
import { placeholderSegment, splitPlaceholders } from '../common/placeholders';
import { concat, known, knownText, unknown, type Segment, type StrValue } from '../common/value';
import { knownString, member } from '../parse/document';
import { parseJson, type Hole } from '../parse/json';
import { fencedBlocks, type FencedBlock } from '../parse/markdown';
import { parseYaml } from '../parse/yaml';
import type { FileInput } from './files';
import { isTrustPolicyDocument, readTrustPolicy } from './iam';
import { emptyKubernetesFacts, readYamlDocument, ROLE_ARN_ANNOTATION, type KubernetesFacts } from './kubernetes';
import { blockMayHaveFacts, jsonMayHaveFacts, yamlMayHaveFacts } from './prefilter';
import { NO_FACTS, type Annotation, type Facts, type LStr, type ServiceAccount } from './types';

/** The blocks of a runbook that may hold facts; undefined when none does (most Markdown files). */
export function parseMarkdownFile(file: FileInput): readonly FencedBlock[] | undefined {
  const text = file.lines.text;
  const blocks = fencedBlocks(text).filter((b) => blockMayHaveFacts(b, text.slice(b.start, b.end)));
  return blocks.length > 0 ? blocks : undefined;
}

/** The namespace of an object that names none: `kubectl apply` puts it in the reader's current namespace. */
const UNWRITTEN_NAMESPACE = unknown('not written: the namespace the reader applies it to');

export function extractMarkdownFacts(blocks: readonly FencedBlock[] | undefined, file: FileInput): Facts {
  if (!blocks) return NO_FACTS;
  const out = emptyKubernetesFacts();
  const heredocs: Heredoc[] = [];
  const createRoles: CreateRole[] = [];
  for (const block of blocks) {
    file.deadline.check();
    if (block.language === 'json') readJson(file, block.start, block.end, out, exampleHoles(file.lines.text, block.start, block.end));
    else if (block.language === 'yaml') readYaml(file, block.start, block.end, out, UNWRITTEN_NAMESPACE);
    else if (block.language === 'shell') readShell(file, block, out, heredocs, createRoles);
  }
  linkCreateRoles(file, createRoles, heredocs, out);
  return {
    ...NO_FACTS,
    trustPolicies: out.trustPolicies,
    roles: out.roles,
    serviceAccounts: dedupe(out.serviceAccounts),
    workloads: out.workloads,
  };
}

// ─── JSON and YAML slices ────────────────────────────────────────────────────

/** A JSON document in the file between `start` and `end`; its trust policy id, when it is one. */
function readJson(file: FileInput, start: number, end: number, out: KubernetesFacts, holes: readonly Hole[], namespace: StrValue = UNWRITTEN_NAMESPACE): string | undefined {
  const parsed = parseJson({ uri: file.uri, lines: file.lines, start, end, holes, placeholders: true, deadline: file.deadline });
  // Elided (`...`), commented or cut short: not the document the reader will run.
  if (parsed.problems.length > 0 || !parsed.value) return undefined;
  const doc = parsed.value;
  if (isTrustPolicyDocument(doc)) {
    const id = markdownPolicyId(file.uri, start);
    out.trustPolicies.push(readTrustPolicy(doc, id, 'markdown'));
    return id;
  }
  if (doc.kind === 'object' && member(doc, 'kind') !== undefined && member(doc, 'apiVersion') !== undefined) readYamlDocument(doc, `k8s:${file.uri}@${start}#0`, out, namespace);
  return undefined;
}

export function markdownPolicyId(uri: string, offset: number): string {
  return `md:${uri}@${offset}`;
}

function readYaml(file: FileInput, start: number, end: number, out: KubernetesFacts, namespace: StrValue, extraHoles: readonly Hole[] = []): void {
  const holes = [...extraHoles, ...exampleHoles(file.lines.text, start, end)].sort((a, b) => a.start - b.start);
  const parsed = parseYaml({ uri: file.uri, lines: file.lines, start, end, holes, deadline: file.deadline, templates: true });
  if (parsed.problems.length > 0) return;
  parsed.documents.forEach((d, i) => {
    if (!d.value) return;
    const kind = knownString(member(d.value, 'kind'));
    // A kustomization in a README lists files of some other repository.
    if (kind === 'Kustomization' || kind === 'Component') return;
    readYamlDocument(d.value, `k8s:${file.uri}@${start}#${i}`, out, namespace);
  });
}

/**
 * Values a runbook's reader replaces, which the parsers' placeholders
 * (`$VAR`, `${VAR}`, `<VAR>`) do not cover: AWS documentation's example
 * values (`EXAMPLED539D4633E53DE1B71EXAMPLE`, an issuer id), and bare
 * upper-case names with an underscore (`MY_NAMESPACE`, `YOUR_ACCOUNT_ID`),
 * which no Kubernetes name, issuer or account can be. Not inside another
 * placeholder (`${ACCOUNT_ID}`, `$ACCOUNT_ID`), which the parsers read whole.
 */
const EXAMPLE_VALUE = /[0-9A-Za-z]*EXAMPLE[0-9A-Za-z]*|(?<![$\w{<])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w}>])/g;

function exampleHoles(text: string, start: number, end: number): Hole[] {
  const holes: Hole[] = [];
  for (const m of text.slice(start, end).matchAll(EXAMPLE_VALUE)) {
    holes.push({ start: start + m.index, end: start + m.index + m[0].length, value: { segments: [exampleSegment(m[0])] } });
  }
  return holes;
}

function exampleSegment(spelling: string): Segment {
  return { kind: 'unknown', reason: `placeholder ${spelling}, to be replaced by the reader`, spelling };
}

// ─── Shell blocks ────────────────────────────────────────────────────────────

interface Word {
  /** The word with quotes removed and continuations dropped. */
  readonly text: string;
  /** Offsets in the file of the word's value (inside its quotes). */
  readonly start: number;
  readonly end: number;
}

interface Heredoc {
  /** The file it is written to (`cat > trust.json <<EOF`, `tee trust.json`), if any. */
  readonly target?: string;
  /** The body's offsets in the file. */
  readonly start: number;
  readonly end: number;
  /** The command that reads it: `kubectl apply -f -`, `aws iam create-role …`. */
  readonly command: string;
  /** Offset of the command's start. */
  readonly commandStart: number;
  readonly namespace?: LStr;
}

interface CreateRole {
  readonly roleName: Word;
  readonly document: Word;
  readonly span: Span;
  readonly start: number;
  readonly end: number;
}

/** One command per logical line (continuations joined), split at `;`, `&&`, `||` and `|`. */
function readShell(file: FileInput, block: FencedBlock, out: KubernetesFacts, heredocs: Heredoc[], createRoles: CreateRole[]): void {
  const text = file.lines.text;
  let i = block.start;
  while (i < block.end) {
    file.deadline.check();
    const lineEnd = logicalLineEnd(text, i, block.end);
    const line = text.slice(i, lineEnd);
    const heredoc = /<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
    let next = Math.min(lineEnd + 1, block.end);
    if (heredoc) {
      const bodyStart = Math.min(lineEnd + 1, block.end);
      const close = heredocEnd(text, bodyStart, block.end, heredoc[3]!, heredoc[1] === '-');
      if (close) {
        const words = commandWords(text, i, lineEnd);
        const target = redirectTarget(line) ?? teeTarget(words);
        const namespace = namespaceOption(words, file);
        heredocs.push({ ...(target ? { target } : {}), start: bodyStart, end: close.bodyEnd, command: line, commandStart: i, ...(namespace ? { namespace } : {}) });
        next = close.next;
      }
    }
    for (const command of splitCommands(text, i, lineEnd)) readCommand(file, command, out, createRoles);
    i = next;
  }
  for (const h of heredocs.filter((h) => h.start >= block.start && h.end <= block.end)) readHeredoc(file, h, out);
}

/** The end of the logical line starting at `from`: the first newline not escaped by a backslash. */
function logicalLineEnd(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const nl = text.indexOf('\n', i);
    if (nl < 0 || nl >= limit) return limit;
    const before = text[nl - 1] === '\r' ? nl - 2 : nl - 1;
    if (text[before] !== '\\') return nl;
    i = nl + 1;
  }
  return limit;
}

function heredocEnd(text: string, from: number, limit: number, marker: string, tabs: boolean): { bodyEnd: number; next: number } | undefined {
  let i = from;
  while (i < limit) {
    let nl = text.indexOf('\n', i);
    if (nl < 0 || nl > limit) nl = limit;
    const line = text.slice(i, nl).replace(/\r$/, '');
    // `<<-` strips leading tabs; runbooks indent with spaces too (a block in a list item): trim both.
    if ((tabs ? line.trim() : line.trim()) === marker) return { bodyEnd: i, next: Math.min(nl + 1, limit) };
    i = nl + 1;
  }
  return undefined;
}

/** `> trust.json` (before or after the heredoc operator) in the command that writes a heredoc. */
function redirectTarget(line: string): string | undefined {
  const withoutOperator = line.replace(/<<-?[ \t]*(['"]?)[A-Za-z_][A-Za-z0-9_]*\1/, ' ');
  return /(?:^|[\s|])>{1,2}[ \t]*(['"]?)([\w./~-]+)\1/.exec(withoutOperator)?.[2];
}

function teeTarget(words: readonly Word[]): string | undefined {
  const at = words.findIndex((w) => w.text === 'tee');
  const target = at >= 0 ? words.slice(at + 1).find((w) => !w.text.startsWith('-')) : undefined;
  return target?.text;
}

/** The commands of a logical line, each as its words. */
function splitCommands(text: string, start: number, end: number): Word[][] {
  const commands: Word[][] = [];
  let current: Word[] = [];
  for (const word of commandWords(text, start, end, true)) {
    if (word.text === '|' || word.text === ';' || word.text === '&&' || word.text === '||') {
      if (current.length > 0) commands.push(current);
      current = [];
    } else current.push(word);
  }
  if (current.length > 0) commands.push(current);
  return commands;
}

/**
 * Words between `start` and `end`, honouring simple quotes and line
 * continuations; a `#` at a word's start ends the line (a comment). With
 * `operators`, `|`, `;`, `&&` and `||` are words of their own. A `$ `
 * prompt at a line's start is dropped.
 */
function commandWords(text: string, start: number, end: number, operators = false): Word[] {
  const words: Word[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(&&|\|\||[|;])|((?:\$\((?:[^()\n]|\([^()\n]*\))*\)|`[^`\n]*`|[^\s"'\\|;&`]|\\.|&(?!&))+)|\\\r?\n|(\n)/g;
  const slice = text.slice(start, end);
  let comment = false;
  let lineStart = true;
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    if (m[5] !== undefined) {
      comment = false;
      lineStart = true;
      continue;
    }
    if (comment) continue;
    const at = start + m.index;
    if (m[1] !== undefined) words.push({ text: m[1], start: at + 1, end: at + 1 + m[1].length });
    else if (m[2] !== undefined) words.push({ text: m[2], start: at + 1, end: at + 1 + m[2].length });
    else if (m[3] !== undefined) {
      if (operators) words.push({ text: m[3], start: at, end: at + m[3].length });
    } else if (m[4] !== undefined) {
      if (m[4].startsWith('#')) {
        comment = true;
        continue;
      }
      if (lineStart && words.length === 0 && (m[4] === '$' || m[4] === '>')) continue;
      words.push({ text: m[4], start: at, end: at + m[4].length });
    }
    lineStart = false;
  }
  return words;
}

function readCommand(file: FileInput, words: readonly Word[], out: KubernetesFacts, createRoles: CreateRole[]): void {
  const verbAt = (tool: string, verb: string): number => {
    const t = words.findIndex((w) => w.text === tool);
    if (t < 0) return -1;
    const v = words.findIndex((w, i) => i > t && w.text === verb);
    return v;
  };
  const annotate = verbAt('kubectl', 'annotate');
  if (annotate >= 0) return readKubectlServiceAccount(file, words, annotate, true, out);
  const create = verbAt('kubectl', 'create');
  if (create >= 0 && isServiceAccountType(words[create + 1]?.text)) return readKubectlServiceAccount(file, words, create, false, out);
  const eksctl = verbAt('eksctl', 'create');
  if (eksctl >= 0 && words[eksctl + 1]?.text === 'iamserviceaccount') return readEksctlCommand(file, words, out);
  const aws = words.findIndex((w) => w.text === 'aws');
  if (aws >= 0 && words[aws + 1]?.text === 'iam' && words[aws + 2]?.text === 'create-role') {
    const roleName = option(words, '--role-name');
    const document = option(words, '--assume-role-policy-document');
    if (roleName && document) {
      const first = words[aws]!;
      const last = words[words.length - 1]!;
      createRoles.push({ roleName, document, span: { uri: file.uri, range: file.lines.range(first.start, last.end) }, start: first.start, end: last.end });
    }
  }
}

function isServiceAccountType(word: string | undefined): boolean {
  return word !== undefined && /^(sa|serviceaccounts?)(\/.*)?$/i.test(word);
}

/** A flag's value: `--flag value` or `--flag=value`. */
function option(words: readonly Word[], ...names: string[]): Word | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (const name of names) {
      if (w.text === name) return words[i + 1];
      if (w.text.startsWith(`${name}=`)) return { text: w.text.slice(name.length + 1), start: w.start + name.length + 1, end: w.end };
    }
  }
  return undefined;
}

function namespaceOption(words: readonly Word[], file: FileInput): LStr | undefined {
  const ns = option(words, '-n', '--namespace');
  return ns ? kubernetesName(wordValue(ns, file)) : undefined;
}

/** A word's value, its placeholders, example values and command substitutions (`$(aws sts …)`) unknown. */
function wordValue(word: Word, file: FileInput): LStr {
  const parts: StrValue[] = [];
  let cursor = 0;
  for (const m of word.text.matchAll(WORD_UNKNOWN)) {
    const segment = m[0].startsWith('$') || m[0].startsWith('`') ? placeholderSegment(m[0]) : exampleSegment(m[0]);
    parts.push(splitPlaceholders(word.text.slice(cursor, m.index)), { segments: [segment] });
    cursor = m.index + m[0].length;
  }
  parts.push(splitPlaceholders(word.text.slice(cursor)));
  return { value: concat(...parts), span: { uri: file.uri, range: file.lines.range(word.start, word.end) } };
}

/**
 * A ServiceAccount's name or namespace in a command that no Kubernetes
 * object can have (`service_account_name`, `MyApp`) is the reader's to
 * fill in: unknown.
 */
function kubernetesName(l: LStr): LStr {
  const text = knownText(l.value);
  if (text === undefined || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(text)) return l;
  return { value: { segments: [exampleSegment(text)] }, span: l.span };
}

/** `$(command)` (one level of nested parentheses) and `` `command` `` on one line. */
const SUBSTITUTION = /\$\((?:[^()\n]|\([^()\n]*\))*\)|`[^`\n]*`/g;
const WORD_UNKNOWN = new RegExp(`${SUBSTITUTION.source}|${EXAMPLE_VALUE.source}`, 'g');

/** Flags of kubectl that take a value: their value is no positional argument. */
const KUBECTL_VALUE_FLAGS = new Set(['-n', '--namespace', '-l', '--selector', '--context', '--cluster', '--kubeconfig', '-o', '--output', '--field-selector', '--resource-version', '--field-manager', '--user', '-f', '--filename']);

/**
 * `kubectl annotate sa NAME -n NS eks.amazonaws.com/role-arn=ARN` (also
 * `serviceaccount/NAME`), and `kubectl create sa NAME -n NS`. The
 * ServiceAccount's other annotations are unknown: the command adds to
 * whatever it has.
 */
function readKubectlServiceAccount(file: FileInput, words: readonly Word[], verb: number, annotate: boolean, out: KubernetesFacts): void {
  const positional: Word[] = [];
  for (let i = verb + 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.text.startsWith('-')) {
      if (KUBECTL_VALUE_FLAGS.has(w.text)) i++;
      continue;
    }
    positional.push(w);
  }
  const type = positional[0];
  if (!type || !isServiceAccountType(type.text)) return;
  const slash = type.text.indexOf('/');
  const nameWord: Word | undefined = slash >= 0 ? { text: type.text.slice(slash + 1), start: type.start + slash + 1, end: type.end } : positional[1];
  if (!nameWord || nameWord.text === '' || nameWord.text.includes('=')) return;
  const name = kubernetesName(wordValue(nameWord, file));
  const namespace: LStr = namespaceOption(words, file) ?? { value: UNWRITTEN_NAMESPACE, span: name.span };
  const annotations: Annotation[] = [];
  if (annotate) {
    for (const w of positional.slice(slash >= 0 ? 1 : 2)) {
      const eq = w.text.indexOf('=');
      if (eq <= 0) continue;
      const key = w.text.slice(0, eq);
      annotations.push({
        key: { value: key, span: { uri: file.uri, range: file.lines.range(w.start, w.start + eq) } },
        value: wordValue({ text: w.text.slice(eq + 1), start: w.start + eq + 1, end: w.end }, file),
      });
    }
    if (annotations.length === 0) return;
  }
  const roleArn = annotations.find((a) => a.key.value === ROLE_ARN_ANNOTATION)?.value;
  out.serviceAccounts.push({
    id: `kubectl:${file.uri}@${nameWord.start}`,
    span: name.span,
    origin: 'command',
    name,
    namespace,
    namespaceDefaulted: false,
    annotations,
    annotationsComplete: false,
    ...(roleArn ? { roleArn } : {}),
  });
}

/**
 * `eksctl create iamserviceaccount --name N --namespace NS …`: a
 * ServiceAccount (unless `--role-only`) annotated with the role eksctl
 * creates, whose pinned trust is eksctl's to get right: only the account is
 * kept, so that a trust policy elsewhere in the runbook that pins it finds it.
 */
function readEksctlCommand(file: FileInput, words: readonly Word[], out: KubernetesFacts): void {
  if (words.some((w) => w.text === '--role-only' || w.text === '--role-only=true')) return;
  const nameWord = option(words, '--name');
  if (!nameWord) return;
  const name = kubernetesName(wordValue(nameWord, file));
  const nsWord = option(words, '--namespace', '-n');
  const namespace: LStr = nsWord ? kubernetesName(wordValue(nsWord, file)) : { value: known('default'), span: name.span };
  const attach = option(words, '--attach-role-arn');
  out.serviceAccounts.push({
    id: `eksctl-cli:${file.uri}@${nameWord.start}`,
    span: name.span,
    origin: 'command',
    name,
    namespace,
    namespaceDefaulted: nsWord === undefined,
    annotations: [],
    annotationsComplete: false,
    roleArn: attach ? wordValue(attach, file) : { value: unknown('the role eksctl creates'), span: name.span },
  });
}

/** A heredoc's body: JSON when it is an object, YAML when kubectl applies it or it is written to a `.yaml` file. */
function readHeredoc(file: FileInput, heredoc: Heredoc, out: KubernetesFacts): void {
  const body = file.lines.text.slice(heredoc.start, heredoc.end);
  const holes = [...shellHoles(file.lines.text, heredoc.start, heredoc.end), ...exampleHoles(file.lines.text, heredoc.start, heredoc.end)].sort((a, b) => a.start - b.start);
  const namespace = heredoc.namespace ? heredoc.namespace.value : UNWRITTEN_NAMESPACE;
  if (/^\s*\{/.test(body)) {
    if (jsonMayHaveFacts(body)) readJson(file, heredoc.start, heredoc.end, out, dropOverlaps(holes), namespace);
  } else if ((/\bkubectl\b[^\n]*\b(apply|create)\b/.test(heredoc.command) || /\.ya?ml$/i.test(heredoc.target ?? '')) && yamlMayHaveFacts('heredoc.yaml', body)) {
    readYaml(file, heredoc.start, heredoc.end, out, namespace, dropOverlaps(shellHoles(file.lines.text, heredoc.start, heredoc.end)));
  }
}

/**
 * Command substitutions in a heredoc the shell expands: `$(aws sts
 * get-caller-identity …)` and backticks (one line each). `$VAR` and
 * `${VAR}` are read as placeholders by the parsers already.
 */
function shellHoles(text: string, start: number, end: number): Hole[] {
  const holes: Hole[] = [];
  const slice = text.slice(start, end);
  for (const m of slice.matchAll(SUBSTITUTION)) {
    if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(m[0])) continue;
    holes.push({ start: start + m.index, end: start + m.index + m[0].length, value: { segments: [placeholderSegment(m[0])] } });
  }
  return holes;
}

function dropOverlaps(holes: readonly Hole[]): Hole[] {
  const out: Hole[] = [];
  for (const h of [...holes].sort((a, b) => a.start - b.start)) if (out.length === 0 || out[out.length - 1]!.end <= h.start) out.push(h);
  return out;
}

/**
 * `aws iam create-role --role-name R --assume-role-policy-document D`: the
 * role R trusts D, when D is inline JSON or `file://F` for a heredoc the
 * runbook writes to F. A role name with a placeholder stays unknown.
 */
function linkCreateRoles(file: FileInput, createRoles: readonly CreateRole[], heredocs: readonly Heredoc[], out: KubernetesFacts): void {
  for (const command of createRoles) {
    let policyId: string | undefined;
    const doc = command.document.text;
    if (doc.startsWith('file://')) {
      const fileName = doc.slice('file://'.length).replace(/^\.\//, '');
      // The last heredoc written to that file before the command.
      const source = heredocs.filter((h) => h.target !== undefined && h.target.replace(/^\.\//, '') === fileName && h.end <= command.start).pop();
      if (source) policyId = out.trustPolicies.find((p) => p.id === markdownPolicyId(file.uri, source.start))?.id;
    } else if (doc.trimStart().startsWith('{') && command.document.end - command.document.start === doc.length) {
      const start = command.document.start;
      policyId = readJson(file, start, command.document.end, out, exampleHoles(file.lines.text, start, command.document.end));
    }
    if (!policyId) continue;
    out.roles.push({
      id: `md-role:${file.uri}@${command.start}`,
      span: command.span,
      origin: 'terraform',
      name: splitPlaceholders(command.roleName.text),
      trust: { kind: 'policy', policyId },
    });
  }
}

/**
 * A runbook shows one command or manifest several times (the template,
 * then with the reader's values, then its output): the same account,
 * annotated alike, is one account.
 */
function dedupe(accounts: readonly ServiceAccount[]): ServiceAccount[] {
  const seen = new Set<string>();
  const out: ServiceAccount[] = [];
  for (const sa of accounts) {
    const key = JSON.stringify([sa.name.value, sa.namespace.value, sa.roleArn?.value ?? null, sa.annotations.map((a) => [a.key.value, a.value.value])]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(sa);
  }
  return out;
}
