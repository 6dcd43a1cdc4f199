import type { Rule } from './types';

/** A file the tool must read could not be parsed; the rest of the workspace is still analysed. */
export const rule: Rule = {
  meta: { id: 'parse-error', defaultSeverity: 'error', title: 'File could not be parsed; its IRSA checks are incomplete' },
  check(model, report) {
    for (const problem of model.problems) {
      report({ span: problem.span, message: `${problem.message} IRSA checks for this file are incomplete until it parses; the rest of the workspace is still analysed.` });
    }
  },
};
