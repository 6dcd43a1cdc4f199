import { defineRule } from './types';

/** A file the tool must read could not be parsed; the rest of the workspace is still analysed. */
export const rule = defineRule({
  meta: { id: 'parse-error', defaultSeverity: 'error', title: 'File could not be parsed; its IRSA checks are incomplete' },
  check(model, report) {
    for (const problem of model.problems) {
      const what = /[.!?)]$/.test(problem.message) ? problem.message : `${problem.message}.`;
      report({
        span: problem.span,
        message:
          `${what} IRSA checks for this file are incomplete until it parses (the rest of the workspace is still analysed), ` +
          `and ${rejectedBy(problem.span.uri, problem.message)} rejects it as it is. Fix the syntax here.`,
      });
    }
  },
});

/** Who refuses the text later: IAM for policy JSON (also in a heredoc), else by the file's kind. */
function rejectedBy(uri: string, message: string): string {
  if (/\.json$/i.test(uri) || message.startsWith('JSON ')) return 'IAM (`MalformedPolicyDocument: This policy contains invalid Json`)';
  if (/\.tf$/i.test(uri)) return '`terraform validate`';
  return '`kubectl apply` (or `eksctl`)';
}
