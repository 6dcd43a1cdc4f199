/**
 * A stand-in for the GitHub Actions runner, for composite actions whose
 * steps are all `shell: bash` scripts: each step's `run` goes to a file and
 * runs as `bash --noprofile --norc -eo pipefail <file>` (the runner's bash
 * template) in its working directory, with its `env`, GITHUB_WORKSPACE,
 * GITHUB_ACTION_PATH and a fresh GITHUB_OUTPUT file, whose `name=value` and
 * `name<<DELIMITER` lines become the step's outputs. Expressions are
 * substituted in `run`, `env`, `working-directory` and the action's
 * outputs, for the few contexts implemented (`inputs.*`, `github.workspace`,
 * `github.action_path`, `steps.<id>.outputs.*`); any other expression is an
 * error, so the test fails if the action starts using something the stand-in
 * does not emulate. As on GitHub, inputs reach a composite step only through
 * expressions (no INPUT_* is set for it), and a failing step ends the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { offlineEnv, run } from './support';

export interface ActionStep {
  readonly name?: string;
  readonly id?: string;
  readonly shell?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
}

export interface ActionDefinition {
  readonly inputs: Record<string, { readonly description: string; readonly default?: string; readonly required?: boolean }>;
  readonly outputs: Record<string, { readonly description: string; readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly ActionStep[] };
}

export interface StepRun {
  readonly name: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ActionRun {
  /** The exit status of the last step that ran (0 when all passed). */
  readonly status: number;
  readonly steps: readonly StepRun[];
  readonly outputs: Readonly<Record<string, string>>;
  /** Everything the steps printed, stdout then stderr per step. */
  readonly log: string;
}

export function readAction(file: string): ActionDefinition {
  return parse(fs.readFileSync(file, 'utf8')) as ActionDefinition;
}

export interface RunOptions {
  readonly actionPath: string;
  readonly workspace: string;
  readonly inputs?: Readonly<Record<string, string>>;
  /** Step names not to run (a step that already ran and would only repeat itself). */
  readonly skip?: readonly string[];
  /** Where step scripts and output files go. */
  readonly scratch: string;
}

export function runAction(action: ActionDefinition, options: RunOptions): ActionRun {
  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in action.inputs));
  if (unknown.length > 0) throw new Error(`the action has no input ${unknown.join(', ')}`);
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, options.inputs?.[name] ?? spec.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expand = (text: string): string =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
      let m: RegExpMatchArray | null;
      if ((m = /^inputs\.([\w-]+)$/.exec(expression))) return inputs[m[1]!] ?? '';
      if (expression === 'github.workspace') return options.workspace;
      if (expression === 'github.action_path') return options.actionPath;
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return stepOutputs[m[1]!]?.[m[2]!] ?? '';
      throw new Error(`the stand-in runner does not implement the expression \${{ ${expression} }}`);
    });
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  const steps: StepRun[] = [];
  let status = 0;
  action.runs.steps.forEach((step, index) => {
    const name = step.name ?? step.id ?? `step ${index + 1}`;
    if (status !== 0 || options.skip?.includes(name)) return;
    if (step.run === undefined || step.shell !== 'bash') throw new Error(`step "${name}": the stand-in runs only \`shell: bash\` run steps`);
    const script = path.join(options.scratch, `step-${index + 1}.sh`);
    const outputFile = path.join(options.scratch, `output-${index + 1}`);
    fs.writeFileSync(script, expand(step.run));
    fs.writeFileSync(outputFile, '');
    const env = offlineEnv({
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))])),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_ACTION_PATH: options.actionPath,
      GITHUB_OUTPUT: outputFile,
    });
    const cwd = step['working-directory'] !== undefined ? path.resolve(options.workspace, expand(step['working-directory'])) : options.workspace;
    const result = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], cwd, env);
    steps.push({ name, status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr });
    status = result.status ?? 1;
    if (step.id !== undefined) stepOutputs[step.id] = parseOutputFile(fs.readFileSync(outputFile, 'utf8'));
  });
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, expand(spec.value)]));
  return { status, steps, outputs, log: steps.map((s) => s.stdout + s.stderr).join('') };
}

/** `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} has no closing ${heredoc[2]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
