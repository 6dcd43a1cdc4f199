/**
 * The Terraform pre-filter (`terraform/prefilter.ts`) reads every directory
 * that has facts, findings or reported problems; what it drops is the
 * syntax errors of directories without any IRSA token and without a local
 * module link to one, which the product no longer reports.
 *
 * Every workspace of the corpus (each rule fixture, each test workspace,
 * each example, the fuzz inputs) is analysed twice: with every Terraform
 * directory read, as before the pre-filter, and with the pre-filter. The
 * facts and findings must be the same but for the dropped directories',
 * which may only be their files' syntax errors and the `ModuleCall` facts of
 * kind `other` of their `module` blocks (no rule reads those without a role
 * of the call); the syntax errors dropped are listed here one by one.
 * Then the tokens, each derived from the families' own tables, and the
 * link scan, which must find every local module call the parser finds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { classifyFileName } from '../../shared/formats';
import { analyze } from '../../server/src/analysis';
import { Deadline } from '../../server/src/common/budget';
import { LineIndex } from '../../server/src/common/text';
import { dirnameUri, pathToUri } from '../../server/src/common/uri';
import { FACT_KINDS } from '../../server/src/index/gather';
import { Workspace } from '../../server/src/index/workspace';
import { initParsers, loadWorkspace } from '../../server/src/node/host';
import { PIPELINES } from '../../server/src/formats/registry';
import { localModuleTargets } from '../../server/src/terraform/local-modules';
import { FACT_BLOCK_TYPES } from '../../server/src/terraform/module';
import { MODULE_SOURCE_TOKENS, parseModuleSource } from '../../server/src/terraform/modules/source';
import { scanTerraform } from '../../server/src/terraform/prefilter';
import { parseFixture } from '../support/fixture';
import { allRuleFixtures } from '../support/rule-fixtures';

const REPO = path.join(__dirname, '..', '..', '..');

before(async () => {
  await initParsers();
});

interface Corpus {
  readonly name: string;
  /** Root URI, cut from the places listed below. */
  readonly root: string;
  readonly load: (workspace: Workspace) => void;
}

function corpus(): Corpus[] {
  const out: Corpus[] = allRuleFixtures().map(({ ruleId, file, text }) => {
    const { files } = parseFixture(text);
    return { name: `rules/${ruleId}/${file}`, root: 'file:///fixture', load: (w) => files.forEach((t, uri) => w.setFile(uri, t)) };
  });
  const dirs = [
    ...fs.readdirSync(path.join(REPO, 'test', 'fixtures', 'workspaces')).map((d) => path.join('test', 'fixtures', 'workspaces', d)),
    ...fs.readdirSync(path.join(REPO, 'examples')).filter((d) => fs.statSync(path.join(REPO, 'examples', d)).isDirectory()).map((d) => path.join('examples', d)),
    path.join('test', 'fixtures', 'fuzz'),
  ].sort();
  for (const dir of dirs) out.push({ name: dir, root: pathToUri(path.join(REPO, dir)), load: (w) => void loadWorkspace(w, path.join(REPO, dir)) });
  return out;
}

/** Facts as comparable text: Maps (template variables) as their entries. */
function factTexts(workspace: Workspace): Map<string, { text: string; uri: string | undefined; kind: string; other: boolean }[]> {
  const model = workspace.model();
  const out = new Map<string, { text: string; uri: string | undefined; kind: string; other: boolean }[]>();
  for (const kind of FACT_KINDS) {
    // The model keeps every kind but the shell's (`cliRoleLinks`, never Terraform's) under its own name.
    const list = (model as unknown as Record<string, unknown>)[kind];
    out.set(
      kind,
      (Array.isArray(list) ? (list as readonly unknown[]) : []).map((fact) => {
        const f = fact as { span?: { uri: string }; uri?: string; kind?: string; source?: string };
        return {
          text: JSON.stringify(fact, (_k, v: unknown) => (v instanceof Map ? [...v] : v)),
          uri: f.span?.uri ?? f.uri,
          kind,
          other: kind === 'moduleCalls' && f.kind === 'other',
        };
      }),
    );
  }
  return out;
}

function findingTexts(workspace: Workspace): { text: string; ruleId: string; uri: string; line: number }[] {
  return analyze(workspace).findings.map((f) => ({ text: JSON.stringify([f.ruleId, f.severity, f.span, f.message, f.related]), ruleId: f.ruleId, uri: f.span.uri, line: f.span.range.start.line + 1 }));
}

/** `a` less `b`, as multisets of their `text`. */
function minus<T extends { text: string }>(a: readonly T[], b: readonly T[]): T[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x.text, (left.get(x.text) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x.text) ?? 0;
    if (n === 0) return true;
    left.set(x.text, n - 1);
    return false;
  });
}

/**
 * The syntax errors the pre-filter drops, each in a directory without an
 * IRSA token or a local module link to one: the product decision of issue
 * #15 (only directories that can matter are checked).
 */
const DROPPED_PARSE_ERRORS = [
  // The fixture that shows it: a broken S3/security-group component beside IRSA directories.
  'rules/parse-error/invalid-terraform-scope.fixture /network/main.tf:4',
];

describe('Terraform pre-filter', () => {
  it('drops no directory with facts, findings or problems, but the syntax errors of directories without IRSA content', () => {
    const dropped: string[] = [];
    let directoriesRead = 0;
    let directoriesDropped = 0;
    let factsCompared = 0;
    for (const { name, root, load } of corpus()) {
      const full = new Workspace({ terraformPrefilter: false });
      const filtered = new Workspace();
      load(full);
      load(filtered);
      const terraformDirs = new Set([...filtered.uris()].filter((u) => PIPELINES[classifyFileName(path.posix.basename(u))!].scope === 'directory').map(dirnameUri));
      const droppedDirs = new Set([...terraformDirs].filter((d) => !filtered.readsTerraformDirectory(d)));
      directoriesRead += terraformDirs.size - droppedDirs.size;
      directoriesDropped += droppedDirs.size;
      if (process.env['IRSA_SHOW_DROPPED']) for (const d of droppedDirs) console.log(`${name}: ${d.slice(root.length) || '/'}`);
      const inDropped = (uri: string | undefined): boolean => uri !== undefined && droppedDirs.has(dirnameUri(uri));

      const before = factTexts(full);
      const after = factTexts(filtered);
      for (const kind of FACT_KINDS) {
        const b = before.get(kind)!;
        const a = after.get(kind)!;
        factsCompared += b.length;
        assert.deepEqual(minus(a, b), [], `${name}: the pre-filter made ${kind} facts that reading everything does not`);
        for (const lost of minus(b, a)) {
          const allowed = inDropped(lost.uri) && (kind === 'problems' || lost.other);
          assert.ok(allowed, `${name}: the pre-filter lost a ${kind} fact: ${lost.text.slice(0, 300)}`);
        }
      }

      const findingsBefore = findingTexts(full);
      const findingsAfter = findingTexts(filtered);
      assert.deepEqual(minus(findingsAfter, findingsBefore), [], `${name}: the pre-filter made findings`);
      for (const lost of minus(findingsBefore, findingsAfter)) {
        assert.ok(lost.ruleId === 'parse-error' && inDropped(lost.uri), `${name}: the pre-filter lost a finding: ${lost.text.slice(0, 300)}`);
        dropped.push(`${name} ${lost.uri.slice(root.length)}:${lost.line}`);
      }
    }
    assert.deepEqual(dropped.sort(), [...DROPPED_PARSE_ERRORS].sort());
    // Both answers occur across the corpus, and the comparison covers real facts.
    assert.ok(directoriesRead > 150 && directoriesDropped >= 3 && factsCompared > 1000, `read ${directoriesRead}, dropped ${directoriesDropped}, facts ${factsCompared}`);
  });

  it('takes its tokens from the families: every block type read for facts, and no other', () => {
    for (const type of ['aws_iam_role', 'aws_iam_openid_connect_provider', 'aws_iam_policy_document', 'aws_eks_cluster', 'aws_eks_pod_identity_association', 'aws_eks_fargate_profile', 'aws_launch_template', 'kubernetes_service_account_v1', 'kubernetes_deployment', 'kubectl_manifest', 'helm_release']) {
      assert.ok(FACT_BLOCK_TYPES.includes(type), type);
      assert.ok(scanTerraform('file:///w/a/main.tf', `resource "${type}" "x" {}\n`, false).matters, type);
    }
    // Read only for a reference's value inside a directory that matters for another reason.
    assert.ok(!FACT_BLOCK_TYPES.includes('aws_caller_identity'));
    const ordinary = 'resource "aws_s3_bucket" "b" {\n  bucket = "logs"\n}\n\ndata "aws_caller_identity" "current" {}\n\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n';
    assert.deepEqual(scanTerraform('file:///w/a/main.tf', ordinary, false), { matters: false, targets: [] });
  });

  it('is described on the parse-error page: every block type a family reads', () => {
    const page = fs.readFileSync(path.join(REPO, 'docs', 'rules', 'parse-error.md'), 'utf8');
    assert.ok(page.includes('the `kubernetes_*` workloads'));
    for (const type of FACT_BLOCK_TYPES) {
      const named = page.includes(`\`${type}\``) || page.includes(`\`${type.replace(/_v1$/, '')}\``);
      const workload = /^kubernetes_(deployment|stateful_set|daemon_set|daemonset|replication_controller|job|cron_job|pod)(_v1)?$/.test(type);
      assert.ok(named || workload, `docs/rules/parse-error.md does not name ${type}`);
    }
  });

  it('matches every module source a family claims, in every spelling', () => {
    const sources = new Set<string>();
    for (const { text } of allRuleFixtures()) for (const m of text.matchAll(/source\s*=\s*"([^"\n]*)"/g)) sources.add(m[1]!);
    for (const base of MODULE_SOURCE_TOKENS) {
      sources.add(base);
      sources.add(base.toUpperCase());
      sources.add(`git::https://github.com/${base}.git//modules/karpenter?ref=v21.0.0`);
      sources.add(`github.com/${base}//modules/iam-role-for-service-accounts-eks`);
    }
    let claimed = 0;
    for (const source of sources) {
      if (parseModuleSource(source).repository === undefined) continue;
      claimed++;
      assert.ok(scanTerraform('file:///w/a/main.tf', `module "m" {\n  source = "${source}"\n}\n`, false).matters, source);
    }
    assert.ok(claimed > 20, `${claimed} sources claimed`);
  });

  it('reads templatefile, template_file, IRSA words and escapes as tokens', () => {
    const matters = (text: string): boolean => scanTerraform('file:///w/a/main.tf', text, false).matters;
    assert.ok(matters('locals {\n  v = templatefile("${path.module}/values.yaml", { role = var.role })\n}\n'));
    assert.ok(matters('data "template_file" "v" {\n  template = file("v.yaml")\n}\n'));
    assert.ok(matters('locals {\n  action = "sts:AssumeRoleWithWebIdentity"\n}\n'));
    assert.ok(matters('variable "cluster_oidc_issuer_url" {}\n'));
    assert.ok(matters('variable "service_account" {}\n'));
    assert.ok(matters('resource "aws_iam_\\u0072ole" "x" {}\n'), 'an escape may spell a type');
    assert.ok(scanTerraform('file:///w/a/terraform.tfvars', 'oidc_provider_arn = "x"\n', true).matters);
    assert.ok(!matters('variable "vpc_id" {\n  default = "vpc-0123"\n}\n'));
  });

  it('finds local module links as the parser does, or makes the file matter', () => {
    const scan = (text: string): ReturnType<typeof scanTerraform> => scanTerraform('file:///w/env/prod/main.tf', text, false);
    assert.deepEqual(scan('module "a" {\n  source = "./modules/a"\n}\nmodule "b" {\n  source="../../shared/b/"\n}\n'), { matters: false, targets: ['file:///w/env/prod/modules/a', 'file:///w/shared/b'] });
    assert.deepEqual(scan('module "a" {\n  source = /* here */ "./modules/a" # and there\n}\n').targets, ['file:///w/env/prod/modules/a']);
    assert.deepEqual(scan('module "a" {\n  source = "./modules/${var.m}"\n}\n'), { matters: false, targets: [] }, 'a template is no literal source');
    assert.ok(scan('module "a" {\n  source = "./modules/a\n}\n').matters, 'unclosed: only the parser knows');
    assert.ok(scan('module "a" {\n  source = "./mod\\u0075les/a"\n}\n').matters, 'an escape: only the parser knows');
    assert.ok(scan('module "a" {\n  source = "./$${x}"\n}\n').matters);
    assert.deepEqual(scanTerraform('file:///w/a/terraform.tfvars', 'dir = "./x"\n', true).targets, []);
  });

  it('finds every local module call the parser finds in the corpus, or makes the file matter', () => {
    let files = 0;
    let calls = 0;
    const texts: { uri: string; text: string }[] = [];
    for (const { text } of allRuleFixtures()) for (const [uri, t] of parseFixture(text).files) texts.push({ uri, text: t });
    for (const dir of ['test/fixtures', 'examples']) {
      const walk = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const full = path.join(d, e.name);
          if (e.isDirectory()) walk(full);
          else if (e.name.endsWith('.tf')) texts.push({ uri: pathToUri(full), text: fs.readFileSync(full, 'utf8') });
        }
      };
      walk(path.join(REPO, dir));
    }
    for (const { uri, text } of texts) {
      if (!uri.endsWith('.tf')) continue;
      // The file as written, and with each `source` line's closing quote or brace dropped (broken syntax).
      const variants = [text, text.replace(/(source\s*=\s*"[^"\n]*)"/, '$1'), text.replace(/(source\s*=\s*"[^"\n]*")\s*\n\}/, '$1\n')];
      for (const variant of variants) {
        const pipeline = PIPELINES.terraform;
        if (pipeline.scope !== 'directory') throw new Error('Terraform is read per directory');
        const syntax = pipeline.parse({ uri, lines: new LineIndex(variant), deadline: new Deadline(60_000) });
        const parsed = localModuleTargets(dirnameUri(uri), [syntax]);
        const scan = scanTerraform(uri, variant, false);
        files++;
        calls += parsed.length;
        if (scan.matters) continue;
        for (const target of parsed) assert.ok(scan.targets.includes(target), `${uri}: the scan misses the call of ${target}:\n${variant.slice(0, 400)}`);
      }
    }
    assert.ok(files > 300 && calls > 20, `${files} files, ${calls} calls`);
  });
});
