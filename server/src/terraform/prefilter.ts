/**
 * The Terraform pre-filter: which module directories are read at all. A
 * platform monorepo is mostly ordinary Terraform (buckets, security groups,
 * networks) that never concerns IRSA, and parsing it with tree-sitter was
 * most of the Terraform cost of a workspace scan (issue #15).
 *
 * A directory is read (parsed, extracted, its syntax errors reported) when
 * one of its files *matters*, or when a chain of local module calls
 * (`source = "./…"` or `"../…"`, either direction) links it to such a
 * directory: values flow along those calls both ways (a module's inputs from
 * its callers, its outputs back), so a directory linked to one that matters
 * is part of what that one means. Other directories are not parsed; the
 * index keeps their text only (`index/workspace.ts` says why).
 *
 * A file matters when its raw text contains any of these tokens, each for
 * a reason in the extraction:
 *
 * - the resource and data source types some family reads a block of
 *   (`FACT_BLOCK_TYPES`, from the families' own handler tables): every
 *   role, trust policy, OIDC provider, ServiceAccount, workload, cluster,
 *   add-on, Fargate profile, Pod Identity association and launch template
 *   comes from such a block;
 * - the module sources a module family claims (`MODULE_SOURCE_TOKENS`, from
 *   the table `parseModuleSource` matches with; compared in lower case);
 * - `templatefile` and `template_file` (`templates.ts`): a file rendered
 *   with variables binds the ServiceAccounts of a values file, from any
 *   directory;
 * - IRSA's own words, `AssumeRoleWithWebIdentity`, `oidc`,
 *   `service_account`, `serviceaccount` (any case): no fact comes from them
 *   alone, but a directory that spells them is one where someone works on
 *   IRSA (perhaps through a module no family knows), so its syntax errors
 *   are worth a report;
 * - a `\u` or `\U` escape: HCL decodes it in a quoted label or source, so
 *   it could spell any token.
 *
 * Without any of them a directory's extraction yields no facts but the
 * first syntax error of each file and a `ModuleCall` of kind `other` for
 * each `module` block (which no rule reads unless a role of that call
 * exists), so the filter drops exactly those. `test/terraform/prefilter.test.ts`
 * extracts the whole fixture corpus both ways to show it.
 *
 * The local module links are found in the raw text too: every quoted
 * string that starts with `./` or `../` is a possible `source` (the scan
 * does not look for the `module` block around it: a string elsewhere only
 * adds a link to a directory that has no Terraform files, or an extra
 * one). A string the scan cannot read as the parser would (an escape, an
 * unclosed quote) makes its file matter, so that it is parsed and its
 * links come from the syntax.
 */
import { dirnameUri } from '../common/uri';
import { localModuleDirectory } from './local-modules';
import { FACT_BLOCK_TYPES } from './module';
import { MODULE_SOURCE_TOKENS } from './modules/source';
import { TEMPLATE_FILE_DATA_SOURCE, TEMPLATEFILE_FUNCTION } from './templates';

/** What the pre-filter learns of one `.tf` or `.tfvars` file from its raw text. */
export interface TerraformScan {
  /** The text has a token: its directory is read. */
  readonly matters: boolean;
  /** The directories its local module calls may name (resolved; sorted, each once): a superset of what the parser finds. */
  readonly targets: readonly string[];
}

/** Words of IRSA itself, in any case (see the header). */
export const IRSA_WORDS: readonly string[] = ['AssumeRoleWithWebIdentity', 'oidc', 'service_account', 'serviceaccount'];

/** Every token, for the docs and the tests. */
export const TERRAFORM_TOKENS: readonly string[] = [...FACT_BLOCK_TYPES, ...MODULE_SOURCE_TOKENS, TEMPLATEFILE_FUNCTION, TEMPLATE_FILE_DATA_SOURCE, ...IRSA_WORDS];

/** Our own constants, not workspace text: one case-insensitive alternation, plus the escapes. */
const TOKEN = new RegExp([...TERRAFORM_TOKENS.map((t) => t.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')), '\\\\[uU]'].join('|'), 'i');

export function scanTerraform(uri: string, text: string, isTfvars: boolean): TerraformScan {
  let matters = TOKEN.test(text);
  // A .tfvars file sets variables: no module blocks, no calls.
  if (isTfvars) return { matters, targets: [] };
  const dir = dirnameUri(uri);
  const targets = new Set<string>();
  for (let at = text.indexOf('".'); at >= 0; at = text.indexOf('".', at + 1)) {
    const start = at + 1;
    if (!(text.startsWith('./', start) || text.startsWith('../', start))) continue;
    let end = start;
    while (end < text.length && text[end] !== '"' && text[end] !== '\n') end++;
    const value = text.slice(start, end);
    // Unclosed, or written with escapes the parser decodes: only the parser knows the value.
    if (text[end] !== '"' || value.includes('\\') || value.includes('$$') || value.includes('%%')) {
      matters = true;
      continue;
    }
    // A template is no literal source.
    if (value.includes('${') || value.includes('%{')) continue;
    const target = localModuleDirectory(dir, value);
    if (target !== undefined && target !== dir) targets.add(target);
  }
  return { matters, targets: [...targets].sort() };
}

/** Whether two scans of a file say the same about its directory. */
export function sameScan(a: TerraformScan | undefined, b: TerraformScan): boolean {
  return a !== undefined && a.matters === b.matters && a.targets.length === b.targets.length && a.targets.every((t, i) => t === b.targets[i]);
}
