/**
 * The format registry (`shared/formats.ts`) and what derives from it agree:
 * every name classification accepts is watched, synchronised where its
 * format says so, and has a pipeline; names it refuses are left alone.
 * Add sample names here with a new format.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { classifyFileName, DOCUMENT_SELECTOR, FORMATS, WATCHED_FILE_GLOBS, type FormatKind } from '../shared/formats';
import { PIPELINES } from '../server/src/formats/registry';
import { FILE_WATCHERS } from '../server/src/lsp/watched-files';
import { matchesGlob } from './support/glob';

/** Names the engine reads, per format, as they appear in workspaces. */
const SAMPLES: { readonly [K in FormatKind]: readonly string[] } = {
  terraform: ['main.tf', 'infra/eks/irsa.tf', 'modules/app/variables.tf'],
  tfvars: ['terraform.tfvars', 'envs/prod/terraform.tfvars', 'prod.auto.tfvars'],
  json: ['iam/s3-reader-trust.json', 'policy.json', '.irsa-lint.json'],
  template: ['templates/trust.json.tpl', 'trust.tftpl'],
  yaml: ['k8s/serviceaccount.yaml', 'clusters/eksctl-prod.yml', 'overlays/prod/kustomization.yaml'],
  shell: ['iam/create-role.sh', 'scripts/bootstrap.bash'],
  markdown: ['README.md', 'docs/runbooks/irsa.md', 'NOTES.markdown'],
};

/** Names the engine does not read. */
const IGNORED = ['README.mdx', 'Makefile', 'prod.tfvars', 'main.tf.bak', 'terraform.tfstate', 'trust.json.orig', 'values.toml', 'run.zsh'];

const baseName = (file: string): string => path.posix.basename(file);

describe('file formats', () => {
  it('classify every sample as its format, and nothing else', () => {
    for (const [kind, files] of Object.entries(SAMPLES)) {
      for (const file of files) assert.equal(classifyFileName(baseName(file)), kind, file);
    }
    for (const file of IGNORED) assert.equal(classifyFileName(file), undefined, file);
    // Names compare case-insensitively (what the walk and the index read).
    assert.equal(classifyFileName('MAIN.TF'), 'terraform');
  });

  it('have a sample name and a pipeline each', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), FORMATS.map((f) => f.kind).sort());
    assert.deepEqual(Object.keys(PIPELINES).sort(), FORMATS.map((f) => f.kind).sort());
  });

  it('are watched: the server registers globs that match every name classification accepts', () => {
    const registered = FILE_WATCHERS.filter((w) => w.kind === undefined).map((w) => w.globPattern);
    assert.deepEqual(registered, WATCHED_FILE_GLOBS);
    for (const file of Object.values(SAMPLES).flat()) {
      assert.ok(WATCHED_FILE_GLOBS.some((glob) => matchesGlob(glob, file)), `${file} is read but not watched`);
    }
    for (const file of IGNORED) assert.ok(!WATCHED_FILE_GLOBS.some((glob) => matchesGlob(glob, file)), `${file} is watched but not read`);
  });

  it('are synchronised by the VS Code client by language, and Terraform by name too', () => {
    const languages = DOCUMENT_SELECTOR.flatMap((f) => ('language' in f ? [f.language] : []));
    const patterns = DOCUMENT_SELECTOR.flatMap((f) => ('pattern' in f ? [f.pattern] : []));
    assert.deepEqual(languages, ['terraform', 'json', 'jsonc', 'yaml', 'markdown']);
    assert.ok(DOCUMENT_SELECTOR.every((f) => f.scheme === 'file'), 'only files on disk: other schemes would be second copies');
    for (const file of [...SAMPLES.terraform, ...SAMPLES.tfvars]) assert.ok(patterns.some((p) => matchesGlob(p, file)), file);
    for (const file of [...SAMPLES.json, ...SAMPLES.yaml]) assert.ok(!patterns.some((p) => matchesGlob(p, file)), `${file} is synchronised by language`);
  });

  it('are what the client synchronises: it takes the registry\'s selector (it cannot be loaded outside VS Code)', () => {
    const client = fs.readFileSync(path.join(__dirname, '..', '..', 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(client, /documentSelector: \[\.\.\.DOCUMENT_SELECTOR\]/);
    assert.doesNotMatch(client, /\bpattern:|\blanguage: '/, 'a hand-written selector entry in the client');
  });
});
