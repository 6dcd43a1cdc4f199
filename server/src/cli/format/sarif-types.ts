/**
 * The subset of SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/)
 * that irsa-lint writes. Property names follow the specification; optional
 * members we never emit are left out rather than typed loosely.
 */

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly [SarifRun];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifToolComponent };
  /** Maps `uriBaseId`s used in artifact locations to absolute URIs (ending in `/`). */
  readonly originalUriBaseIds: Readonly<Record<string, SarifArtifactLocation>>;
  /** Columns count UTF-16 code units, as the engine's positions do. */
  readonly columnKind: 'utf16CodeUnits' | 'unicodeCodePoints';
  readonly invocations: readonly SarifInvocation[];
  readonly results: readonly SarifResult[];
}

export interface SarifToolComponent {
  readonly name: string;
  readonly version: string;
  readonly semanticVersion: string;
  readonly informationUri: string;
  readonly rules: readonly SarifReportingDescriptor[];
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription?: SarifMessage;
  /** `text` and `markdown`: the rule's page. */
  readonly help?: SarifMessage;
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  /** `tags` (GitHub code scanning filters by them) and `security-severity` (0.0–10.0, as a string). */
  readonly properties?: { readonly tags: readonly string[]; readonly 'security-severity'?: string };
}

export interface SarifMessage {
  /** Plain text; `[text](n)` links to the related location with id n. */
  readonly text: string;
  readonly markdown?: string;
}

export interface SarifResult {
  readonly ruleId: string;
  /** Index into `tool.driver.rules`. */
  readonly ruleIndex?: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  /** The fix `--fix` would apply, when the engine has a certain one. */
  readonly fixes?: readonly SarifFix[];
}

/** A proposed fix: replacements in one or more files, each region relative to the file as analysed. */
export interface SarifFix {
  readonly description: SarifMessage;
  readonly artifactChanges: readonly SarifArtifactChange[];
}

export interface SarifArtifactChange {
  readonly artifactLocation: SarifArtifactLocation;
  readonly replacements: readonly SarifReplacement[];
}

/** `deletedRegion` empty (start = end) for an insertion; `insertedContent` absent for a deletion. */
export interface SarifReplacement {
  readonly deletedRegion: SarifRegion;
  readonly insertedContent?: { readonly text: string };
}

export interface SarifLocation {
  /** Unique within a result; required on related locations so messages can link to them. */
  readonly id?: number;
  readonly physicalLocation: SarifPhysicalLocation;
  readonly message?: SarifMessage;
}

export interface SarifPhysicalLocation {
  readonly artifactLocation: SarifArtifactLocation;
  readonly region?: SarifRegion;
}

export interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/** 1-based; `endColumn` is the column just after the region. */
export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolExecutionNotifications: readonly SarifNotification[];
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly descriptor?: { readonly id: string };
  readonly associatedRule?: { readonly id: string; readonly index?: number };
  readonly locations?: readonly SarifLocation[];
}
