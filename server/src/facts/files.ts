/**
 * The parse and extract steps of the formats whose files stand alone: JSON,
 * templates, YAML and shell scripts (see `formats/registry.ts`; Terraform is
 * read per module directory, see `terraform/module.ts`). A parse step may
 * decline a file whose text is not the format's syntax after all (a Helm
 * chart template is no YAML): it yields undefined, and the extract step no
 * facts.
 */
import type { Deadline } from '../common/budget';
import type { LineIndex } from '../common/text';
import { concat, known, unknown, type Segment, type StrValue } from '../common/value';
import { parseJson, type ParsedJson } from '../parse/json';
import { parseYaml, yamlDocumentSlices, type ParsedYaml, type YamlDocument, type YamlProblem, type YamlSource } from '../parse/yaml';
import { mayHoldTemplates } from '../common/placeholders';
import { isPolicyDocument, isTrustPolicyDocument, readTrustPolicy } from './iam';
import { emptyKubernetesFacts, readYamlDocument } from './kubernetes';
import { knownString, member } from '../parse/document';
import { isKustomizationFile, readKustomization } from './kustomize';
import { dirnameUri } from '../common/uri';
import { extractShellRoleLinks } from './shell';
import { shellMayHaveFacts, templateMayHaveFacts, yamlMayHaveFacts } from './prefilter';
import { NO_FACTS } from './types';
import type { Condition, Facts, LStr, ParseProblem, Principal, TrustPolicy, TrustStatement } from './types';

/** A file as the parse and extract steps read it: its text is `lines.text`. */
export interface FileInput {
  readonly uri: string;
  readonly lines: LineIndex;
  /** The file's time budget; parsers and extractors check it as they go. */
  readonly deadline: Deadline;
}

export function jsonTrustPolicyId(uri: string): string {
  return `json:${uri}`;
}

/** JSON, with `${name}` read as an unknown (a templatefile() placeholder or an IAM policy variable). */
export function parseJsonFile(file: FileInput): ParsedJson {
  return parseJson({ uri: file.uri, lines: file.lines, placeholders: true, deadline: file.deadline });
}

/** A trust policy, or a Kubernetes object (`kubectl` reads JSON too). */
export function extractJsonFacts(parsed: ParsedJson, file: FileInput): Facts {
  const { uri, lines } = file;
  const facts = emptyKubernetesFacts();
  const trustPolicies: TrustPolicy[] = [];
  const doc = parsed.value;
  if (doc && isTrustPolicyDocument(doc)) {
    trustPolicies.push(readTrustPolicy(doc, jsonTrustPolicyId(uri), 'json-file'));
  } else if (doc?.kind === 'object' && member(doc, 'kind') !== undefined && member(doc, 'apiVersion') !== undefined) {
    readYamlDocument(doc, `k8s:${uri}#0`, facts);
  }
  // Syntax errors matter only in files that are ours to read: a broken tsconfig is not our business.
  const relevant = parsed.problems.length > 0 && ((doc !== undefined && isPolicyDocument(doc)) || /"(Statement|Principal)"\s*:|sts:AssumeRole/.test(lines.text));
  const problems: ParseProblem[] = relevant ? parsed.problems.slice(0, 1).map((p) => ({ span: { uri, range: lines.range(p.start, p.end) }, message: p.message })) : [];
  return { ...facts, trustPolicies: [...facts.trustPolicies, ...trustPolicies], problems };
}

/**
 * A Terraform template file (`*.tpl`, `*.tftpl`). Only JSON trust policies
 * are of interest (read with their `${…}` placeholders unknown, and with the
 * variables of a `templatefile()` call when a role reads them). Undefined
 * for a template that is no trust policy, or whose `%{…}` directives make it
 * no JSON: what it renders is not known.
 */
export function parseTemplateFile(file: FileInput): ParsedJson | undefined {
  const text = file.lines.text;
  if (!templateMayHaveFacts(text)) return undefined;
  return parseJsonFile(file);
}

/** As a JSON file, but a template is never reported as broken: it is a template. */
export function extractTemplateFacts(parsed: ParsedJson | undefined, file: FileInput): Facts {
  if (!parsed) return NO_FACTS;
  return { ...extractJsonFacts(parsed, file), problems: [] };
}

const RELEVANT_YAML = /^\s*(kind|apiVersion|serviceAccount|serviceAccountName|namespace|resources)\s*:|eks\.amazonaws\.com|eks\.amazon\.com/m;

/**
 * YAML, with template placeholders unknown and directive lines masked
 * (`common/placeholders.ts`): a Helm chart template (`{{ .Values.x }}`,
 * `{{- if … }}`) or a values file Terraform renders (`${x}`, `%{ if }`) is
 * read for what it certainly says.
 */
export function parseYamlFile(file: FileInput): ParsedYaml | undefined {
  const source: YamlSource = { uri: file.uri, lines: file.lines, deadline: file.deadline, templates: true };
  const text = file.lines.text;
  // Facts are read document by document, and the pre-filter's argument holds for each document as it does for a file:
  // a document that cannot yield a fact is not parsed (a CRD bundle with one ServiceAccount, a Service beside a
  // Deployment), and its syntax is not checked. Templates and kustomizations are read whole.
  const slices = isKustomizationFile(file.uri) || mayHoldTemplates(text) ? undefined : yamlDocumentSlices(text);
  const wanted = slices?.map((s) => yamlMayHaveFacts(file.uri, text.slice(s.start, s.end)));
  if (!slices || !wanted || wanted.every(Boolean)) return parseYaml(source);
  const documents: YamlDocument[] = [];
  const problems: YamlProblem[] = [];
  slices.forEach((slice, i) => {
    if (!wanted[i]) {
      documents.push({ value: undefined, start: slice.start, end: slice.end });
      return;
    }
    const parsed = parseYaml({ ...source, start: slice.start, end: slice.end });
    // One slice is one document (`yamlDocumentSlices`); the guard keeps document numbers (fact ids) those of the whole file.
    documents.push(parsed.documents[0] ?? { value: undefined, start: slice.start, end: slice.end });
    problems.push(...parsed.problems);
  });
  return { documents, problems };
}

/** Kubernetes objects, eksctl configs and kustomizations, one per document. */
export function extractYamlFacts(parsed: ParsedYaml | undefined, file: FileInput): Facts {
  if (!parsed) return { ...emptyKubernetesFacts(), problems: [] };
  const { uri, lines } = file;
  const facts = emptyKubernetesFacts();
  const kustomizationFile = isKustomizationFile(uri);
  // Helm installs a chart template's objects that name no namespace into the release's.
  const namespace = parsed.templated && lines.text.includes('{{') ? unknown('the Helm release namespace') : known('default');
  parsed.documents.forEach((d, i) => {
    if (!d.value) return;
    const kind = knownString(member(d.value, 'kind'));
    if (kustomizationFile || kind === 'Kustomization' || kind === 'Component') {
      const k = readKustomization(d.value, uri, dirnameUri(uri));
      if (k) facts.kustomizations.push(k);
      return;
    }
    readYamlDocument(d.value, `k8s:${uri}#${i}`, facts, namespace);
  });
  // A template's syntax errors may be its directives' doing (two branches of an `%{ if }`): it is a template.
  const problems: ParseProblem[] = parsed.problems.length > 0 && !parsed.templated && RELEVANT_YAML.test(lines.text)
    ? parsed.problems.slice(0, 1).map((p) => ({ span: { uri, range: lines.range(p.start, p.end) }, message: p.message }))
    : [];
  return { ...facts, problems };
}

/**
 * A shell script has no parser of its own: its extractor reads the AWS CLI
 * commands word by word from the text. Undefined when the script never
 * mentions IAM, which is most scripts (a cheap test first).
 */
export function parseShellScript(file: FileInput): LineIndex | undefined {
  const text = file.lines.text;
  return shellMayHaveFacts(text) ? file.lines : undefined;
}

/** The roles its `aws iam` commands link to trust policy files. */
export function extractShellFacts(script: LineIndex | undefined, file: FileInput): Facts {
  if (!script) return NO_FACTS;
  return { ...NO_FACTS, cliRoleLinks: extractShellRoleLinks(file.uri, dirnameUri(file.uri), script) };
}

/**
 * A JSON trust policy read through Terraform `templatefile(path, vars)`:
 * `${name}` placeholders take the variables' values.
 */
export function substitutePlaceholders(policy: TrustPolicy, vars: ReadonlyMap<string, StrValue>, id: string): TrustPolicy {
  const sub = (value: StrValue): StrValue => {
    if (!value.segments.some((s) => s.kind === 'unknown' && s.placeholder !== undefined)) return value;
    const parts: StrValue[] = value.segments.map((s: Segment) => {
      if (s.kind === 'unknown' && s.placeholder !== undefined) {
        const replacement = vars.get(s.placeholder);
        if (replacement) return replacement;
      }
      return { segments: [s] };
    });
    return concat(...parts);
  };
  const lstr = (l: LStr): LStr => ({ value: sub(l.value), span: l.span });
  const statement = (s: TrustStatement): TrustStatement => ({
    ...s,
    actions: s.actions.map(lstr),
    principals: s.principals.map((p): Principal => ({ type: p.type, value: lstr(p.value) })),
    conditions: s.conditions.map((c): Condition => ({ ...c, key: lstr(c.key), values: c.values.map(lstr) })),
  });
  return { ...policy, id, statements: policy.statements.map(statement) };
}
