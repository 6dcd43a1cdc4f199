/**
 * Each format's pipeline, keyed by the kinds of `shared/formats.ts`: a kind
 * without a pipeline does not compile, and each pipeline's extract step must
 * take what its parse step yields (`SyntaxOf`).
 */
import type { FormatKind } from '../../../shared/formats';
import { LimitExceeded } from '../common/budget';
import type { LineIndex } from '../common/text';
import { basenameUri } from '../common/uri';
import {
  extractJsonFacts,
  extractShellFacts,
  extractTemplateFacts,
  extractYamlFacts,
  parseJsonFile,
  parseShellScript,
  parseTemplateFile,
  parseYamlFile,
  type FileInput,
} from '../facts/files';
import { extractMarkdownFacts, parseMarkdownFile } from '../facts/markdown';
import { jsonEditKeepsSetAside, jsonMayHaveFacts, jsonPrefilter, markdownMayHaveFacts, shellMayHaveFacts, templateMayHaveFacts, yamlMayHaveFacts } from '../facts/prefilter';
import type { Facts } from '../facts/types';
import { parseHcl, type HclFile } from '../parse/hcl';
import type { ParsedJson } from '../parse/json';
import type { FencedBlock } from '../parse/markdown';
import type { ParsedYaml } from '../parse/yaml';
import { extractTerraformModule, type TerraformFile } from '../terraform/module';
import { scanTerraform } from '../terraform/prefilter';
import type { DirectoryPipeline, FormatPipeline } from './pipeline';

/** What each format's parse step yields, and its extract step reads. */
interface SyntaxOf {
  readonly terraform: TerraformFile;
  readonly tfvars: TerraformFile;
  readonly json: ParsedJson;
  readonly template: ParsedJson | undefined;
  readonly yaml: ParsedYaml | undefined;
  readonly shell: LineIndex | undefined;
  readonly markdown: readonly FencedBlock[] | undefined;
}

export const PIPELINES: { readonly [K in FormatKind]: FormatPipeline<SyntaxOf[K]> } = {
  terraform: terraformPipeline({ isTfvars: false }),
  tfvars: terraformPipeline({ isTfvars: true }),
  json: { scope: 'file', mayHaveFacts: (_uri, text) => jsonMayHaveFacts(text), incremental: { verdict: jsonPrefilter, editKeeps: jsonEditKeepsSetAside }, parse: parseJsonFile, extract: extractJsonFacts },
  template: { scope: 'file', mayHaveFacts: (_uri, text) => templateMayHaveFacts(text), parse: parseTemplateFile, extract: extractTemplateFacts },
  yaml: { scope: 'file', mayHaveFacts: yamlMayHaveFacts, parse: parseYamlFile, extract: extractYamlFacts },
  shell: { scope: 'file', mayHaveFacts: (_uri, text) => shellMayHaveFacts(text), parse: parseShellScript, extract: extractShellFacts },
  markdown: { scope: 'file', mayHaveFacts: (_uri, text) => markdownMayHaveFacts(text), parse: parseMarkdownFile, extract: extractMarkdownFacts },
};

/**
 * Parses and extracts a file of a file-scoped format (undefined for a
 * directory-scoped one). Generic in the kind so that the compiler pairs
 * each parse step with its own extract step.
 */
export function extractFile<K extends FormatKind>(kind: K, file: FileInput): Facts | undefined {
  const pipeline = PIPELINES[kind];
  return pipeline.scope === 'file' ? pipeline.extract(pipeline.parse(file), file) : undefined;
}

/** `.tf` and `.tfvars` files: parsed alone, extracted together per module directory. */
function terraformPipeline(options: { readonly isTfvars: boolean }): DirectoryPipeline {
  const terraformFile = (file: FileInput, hcl: HclFile): TerraformFile => ({
    uri: file.uri,
    lines: file.lines,
    hcl,
    isTfvars: options.isTfvars,
    isAutoTfvars: basenameUri(file.uri).toLowerCase().endsWith('.auto.tfvars'),
  });
  return {
    scope: 'directory',
    scan: (uri, text) => scanTerraform(uri, text, options.isTfvars),
    parse: (file) => terraformFile(file, parseTerraform(file)),
    skipped: (file) => terraformFile(file, { blocks: [], attributes: [], problems: [] }),
    extract: extractTerraformModule,
  };
}

/**
 * `parseHcl`, with a failure of the parser itself (a bug, or the grammar
 * not loaded) as a problem of the file: a parse step throws only over a
 * limit.
 */
function parseTerraform(file: FileInput): HclFile {
  try {
    return parseHcl(file.lines.text, file.deadline);
  } catch (e) {
    if (e instanceof LimitExceeded) throw e;
    return { blocks: [], attributes: [], problems: [{ start: 0, end: 0, message: `The Terraform parser failed: ${(e as Error).message}` }] };
  }
}
