/**
 * File identity is a `file://` URI string everywhere in the engine, as in
 * LSP. These helpers do path arithmetic on such URIs without touching the
 * file system (the engine does no IO).
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function pathToUri(fsPath: string): string {
  return pathToFileURL(path.resolve(fsPath)).href;
}

export function uriToPath(uri: string): string {
  return fileURLToPath(uri);
}

export function dirnameUri(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash > 'file://'.length ? uri.slice(0, slash) : uri;
}

export function basenameUri(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/**
 * Resolves a relative file path (as written in Terraform's `file()`) against
 * a directory URI. Returns undefined for absolute paths: the engine never
 * follows a reference out of the workspace by an absolute path.
 */
export function resolveRelativeUri(dirUri: string, relativePath: string): string | undefined {
  if (relativePath.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(relativePath)) return undefined;
  const base = new URL(dirUri.endsWith('/') ? dirUri : dirUri + '/');
  return new URL(relativePath.split('\\').join('/').split('/').map(encodeURIComponent).join('/'), base).href;
}

/** True when `uri` is `rootUri` itself or lies below it. */
export function isUnder(uri: string, rootUri: string): boolean {
  const root = rootUri.endsWith('/') ? rootUri : rootUri + '/';
  return uri === rootUri || uri.startsWith(root);
}

/** Path of `uri` relative to `rootUri`, with forward slashes. */
export function relativeUri(rootUri: string, uri: string): string {
  const root = rootUri.endsWith('/') ? rootUri : rootUri + '/';
  return uri.startsWith(root) ? decodeURIComponent(uri.slice(root.length)) : decodeURIComponent(uri);
}
