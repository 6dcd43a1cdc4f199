/**
 * Local modules: `module "x" { source = "./modules/y" }` (or `../…`). The
 * child directory is read with each call's inputs, once per call (and per
 * `for_each` key where the keys are known), and its outputs flow back to
 * the caller. Without this everything behind a local module was unknown,
 * which hid defects written inside it.
 *
 * The facts of a called directory are its *instances*: the child directory's
 * extraction asks who calls it and reads itself once per call, with owner
 * keys that name the call (`tf:<child>#tf:<caller>#module.x#aws_iam_role.r`),
 * and a caller asks the same instance for an output value, so that a role
 * ARN the caller gets from `module.x.role_arn` is the role the child
 * instance declares. A directory nobody calls is read on its own, as before.
 *
 * Cost and recursion are bounded: a chain of calls is followed
 * `MAX_DEPTH` deep, a directory already in the chain (a module calling
 * itself, a cycle) is not entered again, and a directory gets at most
 * `MAX_INSTANCES` instances (beyond that the rest are left out).
 */
import { resolveRelativeUri } from '../common/uri';
import type { TerraformFile } from './context';

/** The Terraform directories of the workspace, as the index knows them. */
export interface ModuleDirectories {
  /** The parsed files (.tf and .tfvars) of a directory of the workspace; undefined when it has none. */
  files(dirUri: string): readonly TerraformFile[] | undefined;
  /** The directories with a `module` block whose local `source` is `dirUri`. */
  callers(dirUri: string): readonly string[];
}

/** How deep a chain of local module calls is followed. */
export const MAX_DEPTH = 4;

/** The most instances one directory is read as (calls × keys). */
export const MAX_INSTANCES = 16;

/** The directory a local `source` names, relative to the caller's directory; undefined for anything else. */
export function localModuleDirectory(callerDir: string, source: string | undefined): string | undefined {
  if (source === undefined || !(source.startsWith('./') || source.startsWith('../'))) return undefined;
  const uri = resolveRelativeUri(callerDir, source.replace(/\/+$/, ''));
  return uri?.replace(/\/+$/, '');
}

/** The local module targets of a directory's `module` blocks, read from the syntax alone (for the index's call graph). */
export function localModuleTargets(dirUri: string, files: readonly TerraformFile[]): string[] {
  const targets = new Set<string>();
  for (const file of files) {
    if (file.isTfvars) continue;
    for (const block of file.hcl.blocks) {
      if (block.type !== 'module') continue;
      const source = block.attributes.find((a) => a.name === 'source');
      const text = source?.value.kind === 'literal' && typeof source.value.value === 'string' ? source.value.value : undefined;
      const target = localModuleDirectory(dirUri, text);
      if (target !== undefined && target !== dirUri) targets.add(target);
    }
  }
  return [...targets];
}
