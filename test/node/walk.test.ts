/**
 * The workspace walk and read (`node/host.ts`) after issue #15's third pass:
 * URIs built from the directory's, real paths resolved for links only,
 * files reached without links read with `O_NOFOLLOW` instead of a
 * `realpath` each, and over-size files that provably hold no facts passed
 * over in silence. Real files in temporary directories.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToUri } from '../../server/src/common/uri';
import { Workspace } from '../../server/src/index/workspace';
import { decodeText, initParsers, loadWorkspace, overSizeWithoutFacts, readTextFile, readWalkedFile, walkWorkspace, walkWorkspaceFiles, WorkspaceRoot, type WalkedFile } from '../../server/src/node/host';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tree(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'irsa-walk-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const walked = (root: string): WalkedFile[] => [...walkWorkspaceFiles(root)];

describe('walk', () => {
  it('gives each file the URI pathToUri gives it, whatever its name, and the order walkWorkspace gives', () => {
    const names = ['a.yaml', 'with space/b.json', 'per%cent/c#d.tf', 'q?uery/[x]{y}.yaml', 'unicodé/ñ.yml', 'semi;colon/@at+plus=eq,comma.json', 'tilde~/x.y.z-_.tf', 'back`tick/"quote".json'];
    const root = tree(Object.fromEntries(names.map((n) => [n, '{}'])));
    const files = walked(root);
    assert.equal(files.length, names.length);
    for (const f of files) {
      assert.equal(f.uri, pathToUri(f.path), f.path);
      assert.equal(f.direct, true, f.path);
    }
    assert.deepEqual(
      files.map((f) => f.path),
      [...walkWorkspace(root)],
    );
  });

  it('a file reached through a link is not direct, nor is anything below a linked directory; URIs name the path walked', () => {
    const root = tree({ 'real/sa.yaml': 'kind: ServiceAccount\n', 'other/trust.json': '{}' });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'linked-dir'));
    fs.symlinkSync(path.join(root, 'other', 'trust.json'), path.join(root, 'link.json'));
    fs.rmSync(path.join(root, 'other'), { recursive: true });
    fs.mkdirSync(path.join(root, 'other'));
    fs.writeFileSync(path.join(root, 'other', 'trust.json'), '{}');
    const byPath = new Map(walked(root).map((f) => [path.relative(root, f.path), f]));
    // real/ and linked-dir/ are one real directory: read once, through the name met first (ascending order).
    assert.deepEqual([...byPath.keys()].sort(), ['linked-dir/sa.yaml', 'other/trust.json'].sort());
    assert.equal(byPath.get('linked-dir/sa.yaml')!.direct, false);
    assert.equal(byPath.get('other/trust.json')!.direct, true);
    for (const f of byPath.values()) assert.equal(f.uri, pathToUri(f.path));
  });

  it('a file turned into a link out of the workspace after the walk is refused when read', () => {
    const outside = tree({ 'secret.json': '{"Statement": []}' });
    const root = tree({ 'iam/trust.json': '{}' });
    const [file] = walked(root);
    assert.ok(file?.direct);
    fs.rmSync(file.path);
    fs.symlinkSync(path.join(outside, 'secret.json'), file.path);
    assert.deepEqual(readWalkedFile(file, new WorkspaceRoot(root)), { ok: false, reason: 'symbolic link to a path outside the workspace (not followed)' });
    // A link inside the workspace in its place is read, as readTextFile reads it.
    fs.rmSync(file.path);
    fs.writeFileSync(path.join(root, 'iam', 'other.json'), '{"a": 1}');
    fs.symlinkSync(path.join(root, 'iam', 'other.json'), file.path);
    assert.deepEqual(readWalkedFile(file, new WorkspaceRoot(root)), { ok: true, text: '{"a": 1}' });
  });

  it('decodes as the strict TextDecoder did: one BOM dropped by the decoder and one more by the reader, invalid UTF-8 and NULs refused', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const strict = new TextDecoder('utf-8', { fatal: true });
    const samples = [Buffer.from('plain'), Buffer.concat([bom, Buffer.from('x')]), Buffer.concat([bom, bom, Buffer.from('x')]), Buffer.concat([bom, bom, bom, Buffer.from('x')]), Buffer.from('é ü 日本 😀'), Buffer.from([]), bom];
    for (const b of samples) {
      let expected = strict.decode(b);
      if (expected.charCodeAt(0) === 0xfeff) expected = expected.slice(1);
      assert.deepEqual(decodeText(b), { ok: true, text: expected }, b.toString('hex'));
    }
    for (const bad of [[0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x61, 0xff]]) assert.deepEqual(decodeText(Buffer.from(bad)), { ok: false, reason: 'not UTF-8 text' }, JSON.stringify(bad));
    assert.deepEqual(decodeText(Buffer.from('a\0b')), { ok: false, reason: 'binary content' });
  });
});

describe('files over the size limit', () => {
  const limitKB = 4;
  const big = (text: string): string => text + ' lorem ipsum dolor\n'.repeat(Math.ceil((limitKB * 1024) / 19) + 10);
  const straddling = (word: string): string => {
    // The word across the 1 MB chunk boundary of the stream.
    const mb = 1024 * 1024;
    return 'x'.repeat(mb - 1) + word + 'x'.repeat(10);
  };

  it('are passed over in silence when their format proves they hold no facts, reported otherwise', async () => {
    await initParsers();
    const root = tree({
      'ATTRIBUTION.md': big('# Third-party notices\n\nMIT License, Apache-2.0.\n'),
      'RUNBOOK.md': big('```yaml\napiVersion: v1\n```\n'),
      'package-lock.json': big('{"name": "x", "lockfileVersion": 3, "packages": {"node_modules/kind-of": {}}}'),
      'policy.json': big('{"Statement": []}'),
      'crds.yaml': big('apiVersion: v1\nmetadata: {}\n'),
      'values.yaml': big('serviceAccount:\n  create: true\n'),
      'kustomization.yaml': big('resources: []\n'),
      'main.tf': big('# no resources\n'),
      'deploy.sh': big('echo aws\n'),
      'trust.json.tpl': big('{"Statement": []}'),
      'binary.json': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(big(''))]),
    });
    const skipped = loadWorkspace(new Workspace(), root, { maxFileSizeKB: limitKB });
    assert.deepEqual(skipped.map((s) => [path.relative(root, s.path), s.reason]).sort(), [
      ['RUNBOOK.md', `larger than the ${limitKB} KB size limit`],
      ['binary.json', `larger than the ${limitKB} KB size limit`],
      ['kustomization.yaml', `larger than the ${limitKB} KB size limit`],
      ['main.tf', `larger than the ${limitKB} KB size limit`],
      ['policy.json', `larger than the ${limitKB} KB size limit`],
      ['trust.json.tpl', `larger than the ${limitKB} KB size limit`],
      ['values.yaml', `larger than the ${limitKB} KB size limit`],
    ]);
  });

  it('are streamed in chunks: a word across a chunk boundary is found', () => {
    const root = tree({ 'split.md': straddling('```'), 'split.json': straddling('STATEMENT'), 'split.sh': straddling('aws iam'), 'plain.md': straddling('---') });
    const skipped = loadWorkspace(new Workspace(), root, { maxFileSizeKB: 512 });
    assert.deepEqual(skipped.map((s) => path.relative(root, s.path)).sort(), ['split.json', 'split.md', 'split.sh']);
  });

  it('are reported unread when even streaming them would be too much (8 times the limit)', () => {
    const root = tree({});
    const file = path.join(root, 'NOTICE.md');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 9 * limitKB * 1024); // sparse: no fence, but past the streaming bound
    const [walkedFile] = walked(root);
    assert.equal(overSizeWithoutFacts(walkedFile!, limitKB), false);
    fs.truncateSync(file, 7 * limitKB * 1024);
    // Zeros are binary content: reported too.
    assert.equal(overSizeWithoutFacts(walkedFile!, limitKB), false);
    fs.writeFileSync(file, 'a'.repeat(7 * limitKB * 1024));
    assert.equal(overSizeWithoutFacts(walkedFile!, limitKB), true);
    assert.deepEqual(readTextFile(file, limitKB), { ok: false, reason: `larger than the ${limitKB} KB size limit`, tooLarge: true });
  });
});
