/**
 * Extraction for files that stand alone: JSON and YAML. (Terraform is read
 * per module directory, see `terraform/module.ts`.)
 */
import type { Deadline } from '../common/budget';
import { LineIndex } from '../common/text';
import { concat, type Segment, type StrValue } from '../common/value';
import { parseJson } from '../parse/json';
import { parseYaml } from '../parse/yaml';
import { isPolicyDocument, isTrustPolicyDocument, readTrustPolicy } from './iam';
import { emptyKubernetesFacts, readYamlDocument } from './kubernetes';
import { knownString, member } from './document';
import { isKustomizationFile, readKustomization } from './kustomize';
import { dirnameUri } from '../common/uri';
import { extractShellRoleLinks } from './shell';
import { NO_FACTS } from './types';
import type { Condition, Facts, LStr, ParseProblem, Principal, TrustPolicy, TrustStatement } from './types';

export function jsonTrustPolicyId(uri: string): string {
  return `json:${uri}`;
}

/** `lines`: the file's line index when the caller has one (the workspace keeps one per file). */
export function extractJsonFile(uri: string, text: string, deadline?: Deadline, lines: LineIndex = new LineIndex(text)): Facts {
  const parsed = parseJson({ uri, lines, placeholders: true, ...(deadline ? { deadline } : {}) });
  const facts = emptyKubernetesFacts();
  const trustPolicies: TrustPolicy[] = [];
  const doc = parsed.value;
  if (doc && isTrustPolicyDocument(doc)) {
    trustPolicies.push(readTrustPolicy(doc, jsonTrustPolicyId(uri), 'json-file'));
  } else if (doc?.kind === 'object' && member(doc, 'kind') !== undefined && member(doc, 'apiVersion') !== undefined) {
    readYamlDocument(doc, `k8s:${uri}#0`, facts);
  }
  // Syntax errors matter only in files that are ours to read: a broken tsconfig is not our business.
  const relevant = parsed.problems.length > 0 && ((doc !== undefined && isPolicyDocument(doc)) || /"(Statement|Principal)"\s*:|sts:AssumeRole/.test(text));
  const problems: ParseProblem[] = relevant ? parsed.problems.slice(0, 1).map((p) => ({ span: { uri, range: lines.range(p.start, p.end) }, message: p.message })) : [];
  return { ...facts, trustPolicies: [...facts.trustPolicies, ...trustPolicies], problems };
}

export function extractShellFile(uri: string, dirUri: string, text: string): Facts {
  // Cheap test first: most scripts never mention IAM.
  if (!text.includes('aws') || !text.includes('iam')) return NO_FACTS;
  return { ...NO_FACTS, cliRoleLinks: extractShellRoleLinks(uri, dirUri, new LineIndex(text)) };
}

/**
 * A Terraform template file (`*.tpl`, `*.tftpl`). Only JSON trust policies
 * are of interest (read with their `${…}` placeholders unknown, and with the
 * variables of a `templatefile()` call when a role reads them). A template
 * whose `%{…}` directives make it no JSON is not reported as broken: it is a
 * template, and what it renders is not known.
 */
export function extractTemplateFile(uri: string, text: string, deadline?: Deadline, lines?: LineIndex): Facts {
  if (!text.includes('Statement') || text.includes('%{')) return NO_FACTS;
  const facts = extractJsonFile(uri, text, deadline, lines);
  return { ...facts, problems: [] };
}

const HELM_TEMPLATE = /\{\{[-\s]/;
const RELEVANT_YAML = /^\s*(kind|apiVersion|serviceAccount|serviceAccountName|namespace|resources)\s*:|eks\.amazonaws\.com|eks\.amazon\.com/m;

export function extractYamlFile(uri: string, text: string, deadline?: Deadline, lines?: LineIndex): Facts {
  // Helm chart templates are Go templates, not YAML: reading them would yield only noise.
  if (HELM_TEMPLATE.test(text)) return { ...emptyKubernetesFacts(), problems: [] };
  lines ??= new LineIndex(text);
  const parsed = parseYaml({ uri, lines, ...(deadline ? { deadline } : {}) });
  const facts = emptyKubernetesFacts();
  const kustomizationFile = isKustomizationFile(uri);
  parsed.documents.forEach((d, i) => {
    if (!d.value) return;
    const kind = knownString(member(d.value, 'kind'));
    if (kustomizationFile || kind === 'Kustomization' || kind === 'Component') {
      const k = readKustomization(d.value, uri, dirnameUri(uri));
      if (k) facts.kustomizations.push(k);
      return;
    }
    readYamlDocument(d.value, `k8s:${uri}#${i}`, facts);
  });
  const problems: ParseProblem[] = parsed.problems.length > 0 && RELEVANT_YAML.test(text)
    ? parsed.problems.slice(0, 1).map((p) => ({ span: { uri, range: lines.range(p.start, p.end) }, message: p.message }))
    : [];
  return { ...facts, problems };
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
