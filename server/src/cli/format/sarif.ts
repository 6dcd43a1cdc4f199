/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF
 * consumers. One run; every rule in `tool.driver.rules` (so consumers can
 * show titles and docs for rules that reported nothing); artifact URIs
 * relative to their root: `%SRCROOT%` for the first directory analysed,
 * `ROOT2`, `ROOT3`… for the others, each mapped by `originalUriBaseIds`;
 * skipped files and rule failures as tool execution notifications.
 */
import type { Range, Span } from '../../common/text';
import type { Fix } from '../../edit/types';
import { RULES } from '../../rules/registry';
import { basenameUri } from '../../common/uri';
import { inlineCodeAsQuotes } from '../../common/markdown';
import { docsUrl, type Finding, type RuleMeta } from '../../rules/types';
import { findingHash, relativePath, rootOf, toRegion, type CliReport } from '../report';
import { TOOL_INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from '../tool';
import { RULE_DOCS } from './rule-docs';
import type { SarifArtifactChange, SarifFix, SarifLocation, SarifLog, SarifNotification, SarifRegion, SarifReportingDescriptor, SarifResult } from './sarif-types';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** The `uriBaseId` of the n-th root (0-based): `%SRCROOT%` for the first, as with one root. */
export function rootBaseId(index: number): string {
  return index === 0 ? SRCROOT : `ROOT${index + 1}`;
}

/**
 * The `partialFingerprints` key. Its value is the first 32 hex digits of
 * SHA-256 over `ruleId`, the relative path and the trimmed source line the
 * finding is anchored on (NUL-separated; for a root other than the first,
 * the path is preceded by its base id and `:`), then `:n` for the n-th finding
 * with that hash in the run. Neither line numbers nor the message take part:
 * messages cite `file:line` of the other side of a cross-file finding, so
 * an edit elsewhere would otherwise make code scanning see a "new" alert.
 * The occurrence counter keeps identical findings apart. Bump the `/v2`
 * suffix if the recipe ever changes.
 */
export const FINGERPRINT_KEY = 'irsaLintFindingHash/v2';

export function formatSarif(report: CliReport, rules: readonly RuleMeta[] = RULES.map((r) => r.meta)): string {
  return JSON.stringify(toSarifLog(report, rules), null, 2) + '\n';
}

export function toSarifLog(report: CliReport, rules: readonly RuleMeta[] = RULES.map((r) => r.meta)): SarifLog {
  const ruleIndex = new Map(rules.map((meta, index) => [meta.id, index]));
  const fingerprints = new FingerprintCounter();
  const locate = (uri: string): ArtifactLocation => artifactLocation(report.roots, uri);
  const results = report.findings.map((f, i) => toResult(locate, f, report.anchorLines?.[i] ?? '', ruleIndex.get(f.ruleId), fingerprints, report.certainFixes?.[i]));
  const notifications: SarifNotification[] = [
    ...report.skipped.map(
      (s): SarifNotification => ({
        level: 'warning',
        descriptor: { id: 'skipped-file' },
        message: { text: `Skipped ${s.path}: ${s.reason}.` },
        locations: [{ physicalLocation: { artifactLocation: s.uri !== undefined ? toArtifact(artifactLocation(report.roots, s.uri)) : { uri: encodeRelativePath(s.path) } } }],
      }),
    ),
    ...(report.liveFaults ?? []).map((fault): SarifNotification => ({ level: 'warning', descriptor: { id: 'live-check-failed' }, message: { text: fault } })),
    ...report.failures.map(
      (failure): SarifNotification => ({
        level: 'error',
        descriptor: { id: 'rule-failure' },
        associatedRule: withIndex({ id: failure.ruleId }, ruleIndex.get(failure.ruleId)),
        message: { text: `Rule ${failure.ruleId} failed with an internal error; its findings are missing. ${failure.error}` },
      }),
    ),
  ];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_INFORMATION_URI,
            rules: rules.map(toDescriptor),
          },
        },
        // SARIF requires base URIs to end with a slash, or relative references resolve against the parent.
        originalUriBaseIds: Object.fromEntries(report.roots.map((root, i) => [rootBaseId(i), { uri: root.uri.endsWith('/') ? root.uri : root.uri + '/' }])),
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: report.failures.length === 0, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
}

/**
 * A path relative to the scanned directory as a relative URI reference:
 * each segment percent-encoded, so spaces, `#`, `%` and a `:` in the first
 * segment (which would read as a scheme) survive resolution.
 */
export function encodeRelativePath(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/**
 * GitHub code scanning ranks security alerts by `security-severity`: high
 * (7.0–8.9) for what breaks or opens access at runtime (our errors), medium
 * for warnings, low for notes. `parse-error` is not a security finding.
 */
const SECURITY_SEVERITY: Readonly<Record<RuleMeta['defaultSeverity'], string>> = { error: '7.5', warning: '5.0', note: '2.0' };

function toDescriptor(meta: RuleMeta): SarifReportingDescriptor {
  const doc = RULE_DOCS[meta.id];
  const summary = doc !== undefined ? firstParagraph(doc) : undefined;
  const security = meta.id !== 'parse-error';
  return {
    id: meta.id,
    shortDescription: { text: meta.title },
    ...(summary !== undefined ? { fullDescription: { text: plainText(summary), markdown: summary } } : {}),
    ...(doc !== undefined ? { help: { text: plainText(doc), markdown: doc } } : {}),
    helpUri: docsUrl(meta.id),
    defaultConfiguration: { level: meta.defaultSeverity },
    properties: {
      tags: [...(security ? ['security'] : ['correctness']), 'irsa', ...ruleTags(meta.id)],
      ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {}),
    },
  };
}

/** What a rule checks, from its id's family. */
function ruleTags(id: string): string[] {
  if (id.startsWith('trust-')) return ['iam', 'trust-policy'];
  if (id.startsWith('sa-')) return ['kubernetes', 'service-account'];
  if (id.startsWith('oidc-provider-')) return ['iam', 'oidc'];
  if (id.startsWith('karpenter-')) return ['terraform', 'karpenter'];
  if (id.startsWith('eksctl-')) return ['eksctl'];
  if (id.startsWith('pod-identity-')) return ['pod-identity', 'fargate'];
  if (id.startsWith('imds-')) return ['ec2', 'imds'];
  return [];
}

/** The page's first paragraph after the title and the "Default severity" line: what the rule reports. */
function firstParagraph(doc: string): string | undefined {
  const paragraphs = doc.split(/\n\s*\n/).map((p) => p.trim());
  return paragraphs.find((p) => p !== '' && !p.startsWith('#') && !p.startsWith('Default severity'));
}

/** Markdown as plain text: no emphasis markers or link targets, and `code` as 'code', as the text output and plain-text editors show it. */
export function plainText(markdown: string): string {
  return inlineCodeAsQuotes(markdown.replace(/\[([^\]]*)\]\((?:[^)]*)\)/g, '$1').replace(/\*\*([^*]+)\*\*/g, '$1'));
}

/**
 * The message as SARIF text and Markdown. Where it names the other side of
 * a cross-file finding as `file:line` (`s3-reader.json:12`), that mention
 * becomes a link to the related location (`[s3-reader.json:12](1)`), which
 * viewers such as GitHub turn into a jump to that place.
 */
function toMessage(finding: Finding): SarifResult['message'] {
  let text = escapeLinkBrackets(plainText(finding.message));
  let markdown = finding.message;
  finding.related.forEach((related, i) => {
    const mention = `${basenameUri(related.span.uri)}:${related.span.range.start.line + 1}`;
    const link = `[${mention}](${i + 1})`;
    text = replaceFirstMention(text, mention, link);
    markdown = replaceFirstMention(markdown, mention, link);
  });
  return { text, markdown };
}

/** In SARIF text, `[x](y)` is a link: brackets of the message itself are escaped so they never read as one. */
function escapeLinkBrackets(text: string): string {
  return text.replace(/[[\]]/g, (c) => `\\${c}`);
}

function replaceFirstMention(text: string, mention: string, link: string): string {
  // A mention is a whole `name:line`, not the tail of a longer file name or line number.
  const at = [...text.matchAll(new RegExp(`(?<![\\w./-])${mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`, 'g'))][0]?.index;
  return at === undefined ? text : text.slice(0, at) + link + text.slice(at + mention.length);
}

/** Where a file is: its root's base id and its path relative to that root. */
interface ArtifactLocation {
  readonly baseId: string;
  readonly path: string;
}

function artifactLocation(roots: CliReport['roots'], uri: string): ArtifactLocation {
  const index = rootOf(roots, uri);
  const root = roots[index];
  return { baseId: rootBaseId(index), path: root !== undefined ? relativePath(root.uri, uri) : uri };
}

function toArtifact(location: ArtifactLocation): { uri: string; uriBaseId: string } {
  return { uri: encodeRelativePath(location.path), uriBaseId: location.baseId };
}

function toResult(locate: (uri: string) => ArtifactLocation, finding: Finding, anchorLine: string, ruleIndex: number | undefined, fingerprints: FingerprintCounter, fix: Fix | undefined): SarifResult {
  const where = locate(finding.span.uri);
  const path = where.baseId === SRCROOT ? where.path : `${where.baseId}:${where.path}`;
  const relatedLocations = finding.related.map((r, i): SarifLocation => ({ id: i + 1, ...physical(locate, r.span), message: { text: r.message } }));
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: finding.severity,
    message: toMessage(finding),
    locations: [physical(locate, finding.span)],
    ...(relatedLocations.length > 0 ? { relatedLocations } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints.next(finding.ruleId, path, anchorLine) },
    ...(fix !== undefined ? { fixes: [toFix(locate, fix)] } : {}),
  };
}

function physical(locate: (uri: string) => ArtifactLocation, span: Span): SarifLocation {
  return { physicalLocation: { artifactLocation: toArtifact(locate(span.uri)), region: sarifRegion(span.range) } };
}

function sarifRegion(range: Range): SarifRegion {
  const region = toRegion(range);
  return { startLine: region.line, startColumn: region.column, endLine: region.endLine, endColumn: region.endColumn };
}

/**
 * A certain fix (what `--fix` applies) as SARIF: one artifact change per
 * file, one replacement per edit, each `deletedRegion` relative to the file
 * as analysed (edits never overlap), empty for an insertion.
 */
function toFix(locate: (uri: string) => ArtifactLocation, fix: Fix): SarifFix {
  return {
    description: { text: plainText(fix.title), markdown: fix.title },
    artifactChanges: fix.changes.flatMap((change): SarifArtifactChange[] =>
      change.kind === 'edit'
        ? [{ artifactLocation: toArtifact(locate(change.uri)), replacements: change.edits.map((edit) => ({ deletedRegion: sarifRegion(edit.range), ...(edit.newText !== '' ? { insertedContent: { text: edit.newText } } : {}) })) }]
        : [],
    ),
  };
}

function withIndex(rule: { id: string }, index: number | undefined): { id: string; index?: number } {
  return index !== undefined ? { ...rule, index } : rule;
}

class FingerprintCounter {
  private readonly seen = new Map<string, number>();

  next(ruleId: string, filePath: string, anchorLine: string): string {
    const hash = findingHash(ruleId, filePath, anchorLine);
    const occurrence = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  }
}
