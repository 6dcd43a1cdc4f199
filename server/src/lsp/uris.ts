/**
 * One spelling per file. Clients percent-encode URIs their own way (VS Code
 * writes `+` as `%2B` and `c:` as `c%3A`; Node's `pathToFileURL`, which the
 * workspace scan uses, does not), and the index keys files by URI string:
 * two spellings of one file would be two files, each with its own roles and
 * ServiceAccounts. Every `file:` URI from the client goes through here.
 */
import { pathToUri, uriToPath } from '../common/uri';

export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToUri(uriToPath(uri));
  } catch {
    return uri; // not a local file URI (e.g. file://host/share on POSIX): keep it as it came
  }
}

/**
 * The server analyses files on disk and what the editor has open of them.
 * Other schemes (`untitled:`, `git:` diff views, …) would add second copies
 * of roles and ServiceAccounts to the model, so they are left alone.
 */
export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}
