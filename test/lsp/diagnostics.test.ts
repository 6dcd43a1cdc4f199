/**
 * Diagnostics over the protocol: pushed for files never opened, kept per
 * file, updated on the other file of a cross-file finding, and only sent
 * when they changed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { docsUrl } from '../../server/src/rules/types';
import { CLIENT_CAPABILITIES, hasRule, lacksRule, messageOf, ofRule, withServer } from './harness';

const SA_FILE = 'k8s/s3-reader.yaml';
const TRUST_FILE = 'roles/s3-reader.json';
const MISMATCH = 'sa-role-trust-mismatch';
const NO_SA = 'trust-sub-no-service-account';

describe('diagnostics', () => {
  it('are pushed on a cold start for files never opened, with rule id, range, docs link and the other file of a cross-file finding', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const saDiagnostics = await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      assert.equal(saDiagnostics.length, 1);
      const mismatch = saDiagnostics[0]!;
      // The role ARN in `eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/s3-reader`.
      assert.deepEqual(mismatch.range, { start: { line: 6, character: 32 }, end: { line: 6, character: 72 } });
      assert.equal(mismatch.severity, DiagnosticSeverity.Error);
      assert.equal(mismatch.source, 'irsa');
      assert.deepEqual(mismatch.codeDescription, { href: docsUrl(MISMATCH) });
      assert.match(messageOf(mismatch), /ServiceAccount 'demo\/s3-reader' uses role 's3-reader'/);
      assert.equal(mismatch.data, undefined, 'code actions find the finding by rule and range: the diagnostic carries no fix data');
      const related = mismatch.relatedInformation ?? [];
      assert.equal(related.length, 1);
      assert.equal(server.fileOf(related[0]!.location.uri), TRUST_FILE);
      assert.equal(related[0]!.location.range.start.line, 12, 'points at the pinned sub');
      assert.match(related[0]!.message, /system:serviceaccount:prod:s3-reader/);

      // The trust side of the same mistake is reported on the other file.
      const trustDiagnostics = await server.waitForDiagnostics(TRUST_FILE, hasRule(NO_SA));
      const noSa = ofRule(trustDiagnostics, NO_SA)[0]!;
      assert.equal(noSa.severity, DiagnosticSeverity.Warning);
      assert.equal(server.fileOf(noSa.relatedInformation![0]!.location.uri), SA_FILE);

      const end = await server.waitForScanEnd();
      assert.match(end.message ?? '', /Indexed 4 files/);
      const kinds = server.progress.map((p) => p.value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
      // Clean files get nothing (an empty list would be noise, not a change).
      for (const clean of ['terraform/main.tf', 'k8s/external-dns.yaml']) {
        assert.ok(!server.publications.some(([file]) => file === clean), `${clean} has no findings and should not be published`);
      }
    });
  });

  it('are pushed over node IPC too, the transport VS Code uses', async () => {
    await withServer({ fixture: 's3-reader', transport: 'ipc' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      assert.equal(await server.shutdown(), 0);
    });
  });

  it('follow edits of an open document, on that file and on the closed file at the other end of the link', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      await server.waitForDiagnostics(TRUST_FILE, hasRule(NO_SA));

      await server.openDocument(SA_FILE);
      await server.replaceInDocument(SA_FILE, 'namespace: demo', 'namespace: prod');
      assert.deepEqual(await server.waitForDiagnostics(SA_FILE, (ds) => ds.length === 0), [], 'an empty list clears the file');
      await server.waitForDiagnostics(TRUST_FILE, lacksRule(NO_SA));

      await server.replaceInDocument(SA_FILE, 'namespace: prod', 'namespace: demo');
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      await server.waitForDiagnostics(TRUST_FILE, hasRule(NO_SA));

      // Now fix the trust policy instead: the closed ServiceAccount file clears.
      await server.closeDocument(SA_FILE);
      await server.openDocument(TRUST_FILE);
      await server.replaceInDocument(TRUST_FILE, 'system:serviceaccount:prod:s3-reader', 'system:serviceaccount:demo:s3-reader');
      await server.waitForDiagnostics(SA_FILE, (ds) => ds.length === 0);
      await server.waitForDiagnostics(TRUST_FILE, (ds) => ds.length === 0);
    });
  });

  it('of a closed document come back from disk when unsaved edits are discarded', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const before = await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      await server.openDocument(SA_FILE);
      await server.replaceInDocument(SA_FILE, 'namespace: demo', 'namespace: prod');
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));

      await server.closeDocument(SA_FILE);
      const after = await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      assert.deepEqual(after, before);
    });
  });

  it('are sent only for the files whose diagnostics changed', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      await server.waitForDiagnostics(TRUST_FILE, hasRule(NO_SA));
      await server.waitForScanEnd();
      const countOf = (file: string): number => server.publications.filter(([f]) => f === file).length;
      const before = { sa: countOf(SA_FILE), trust: countOf(TRUST_FILE) };
      assert.deepEqual(before, { sa: 1, trust: 1 }, 'one publication per file after the scan');

      // A comment changes nothing; a broken brace adds a parse error to main.tf only.
      await server.openDocument('terraform/main.tf');
      await server.replaceInDocument('terraform/main.tf', '# The cluster', '# Edited. The cluster');
      await server.replaceInDocument('terraform/main.tf', 'client_id_list  = ["sts.amazonaws.com"]', 'client_id_list  = ["sts.amazonaws.com"');
      await server.waitForDiagnostics('terraform/main.tf', hasRule('parse-error'));
      assert.deepEqual({ sa: countOf(SA_FILE), trust: countOf(TRUST_FILE) }, before);
    });
  });

  it('hold back the parse errors of the document being typed in until its text is idle or saved; other findings show at once', async () => {
    const nodes = 'infra/nodes.tf';
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'infra'));
      fs.writeFileSync(
        path.join(root, nodes),
        'resource "aws_launch_template" "nodes" {\n  metadata_options {\n    http_tokens                 = "required"\n    http_put_response_hop_limit = 2\n  }\n}\n',
      );
      fs.writeFileSync(path.join(root, 'infra', 'typo.tf'), 'resource "aws_iam_role" "x" {\n  name = "x"\n}\nresou\n');
    };
    await withServer({ prepare }, async (server) => {
      // A file nobody is typing in: its parse error is reported as soon as it is read.
      await server.waitForDiagnostics('infra/typo.tf', hasRule('parse-error'));
      await server.waitForDiagnostics(nodes, hasRule('imds-hop-limit'));
      await server.openDocument(nodes);
      const published = (): readonly Diagnostic[] => server.publications.filter(([file]) => file === nodes).flatMap(([, ds]) => ds);

      // Half a word typed at the end, and the hop limit fixed: the fix shows, the half word does not.
      await server.changeDocument(nodes, [
        { range: { start: { line: 3, character: 34 }, end: { line: 3, character: 35 } }, text: '1' },
        { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: 'resou' },
      ]);
      assert.deepEqual(await server.waitForDiagnostics(nodes, lacksRule('imds-hop-limit')), []);
      assert.deepEqual(ofRule(published(), 'parse-error'), [], 'no parse error was published while typing');

      // Saving shows it.
      await server.saveDocument(nodes);
      const saved = ofRule(await server.waitForDiagnostics(nodes, hasRule('parse-error')), 'parse-error');
      assert.equal(saved[0]?.range.start.line, 6);

      // Typing again hides it; once the text is idle it comes back, unsaved.
      await server.changeDocument(nodes, [{ range: { start: { line: 6, character: 5 }, end: { line: 6, character: 5 } }, text: 'r' }]);
      await server.waitForDiagnostics(nodes, lacksRule('parse-error'));
      const idle = ofRule(await server.waitForDiagnostics(nodes, hasRule('parse-error')), 'parse-error');
      assert.match(messageOf(idle[0]!), /unexpected "resour"/);
    });
  });

  it('are plain text (quotes, not backticks) unless the client renders Markdown in diagnostic messages', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const [mismatch] = ofRule(await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH)), MISMATCH);
      assert.equal(typeof mismatch!.message, 'string');
      assert.ok(!messageOf(mismatch!).includes('`'), messageOf(mismatch!));
      assert.ok(!mismatch!.relatedInformation!.some((r) => r.message.includes('`')));
    });
    const capabilities = { ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, diagnostic: { markupMessageSupport: true } } };
    await withServer({ fixture: 's3-reader', capabilities }, async (server) => {
      const [mismatch] = ofRule(await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH)), MISMATCH);
      assert.deepEqual(typeof mismatch!.message === 'object' && mismatch!.message.kind, 'markdown');
      assert.match(messageOf(mismatch!), /ServiceAccount `demo\/s3-reader` uses role `s3-reader`/);
    });
  });
});
