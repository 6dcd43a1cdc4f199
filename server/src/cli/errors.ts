/**
 * Exit codes (product interface: CI scripts branch on them) and the error
 * the CLI throws for problems that are the user's to fix (bad arguments,
 * missing directory, broken config). Anything else that escapes is a bug.
 */

export const EXIT_OK = 0;
/** At least one error-level finding. */
export const EXIT_FINDINGS = 1;
/** Usage error, broken configuration, or an internal failure. */
export const EXIT_FAILURE = 2;

/** A problem the user can fix; main prints its message without a stack and exits 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
