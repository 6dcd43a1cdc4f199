/**
 * Who we are, for `--version` and SARIF's `tool.driver`. The version is
 * read from package.json at build time (esbuild inlines the JSON import),
 * so the bundle needs nothing beside it to answer `--version`.
 */
import { version } from '../../../package.json';

export const TOOL_NAME = 'irsa-lint';
export const TOOL_VERSION: string = version;
export const TOOL_INFORMATION_URI = 'https://github.com/irsa-tools/irsa-lint';
