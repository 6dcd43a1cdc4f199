/**
 * Code actions over the protocol: the engine's fixes offered on our
 * diagnostics, applied as an editor applies them, and fix-all.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CodeActionRequest, ExecuteCommandRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { docsUrl } from '../../server/src/rules/types';
import { hasRule, lacksRule, ofRule, withServer, type LanguageServerSession } from './harness';

const TRUST = 'roles/reader-trust.json';
const RULE = 'trust-condition-key-scheme';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

const TRUST_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "https://${ISSUER}:sub": "system:serviceaccount:payments:reader",
          "https://${ISSUER}:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;

const prepare = (root: string): void => {
  fs.mkdirSync(path.join(root, 'roles'));
  fs.writeFileSync(path.join(root, TRUST), TRUST_TEXT);
};

async function codeActions(server: LanguageServerSession, file: string, diagnostics: readonly Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: server.uri(file) },
    range,
    context: { diagnostics: [...diagnostics], ...(only ? { only } : {}) },
  });
  return (result ?? []).filter((a): a is CodeAction => 'kind' in a || 'edit' in a);
}

describe('code actions', () => {
  it('offer the fix of a diagnostic on a file never opened; applied to disk, the diagnostic goes away', async () => {
    await withServer({ prepare }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 2), RULE);
      const actions = await codeActions(server, TRUST, [diagnostics[0]!]);
      assert.deepEqual(
        actions.map((a) => [a.title, a.kind, a.isPreferred]),
        [
          ["Remove 'https://' from the condition key", 'quickfix', true],
          // JSON has no comments: no "Ignore on this line", an entry in .irsa-lint.json instead.
          [`Ignore ${RULE} here (.irsa-lint.json)`, 'quickfix', undefined],
          [`Turn off ${RULE} in this workspace (.irsa-lint.json)`, 'quickfix', undefined],
          [`Show documentation for ${RULE}`, 'quickfix', undefined],
        ],
      );
      const action = actions[0]!;
      assert.deepEqual(action.diagnostics, [diagnostics[0]]);
      const change = action.edit?.documentChanges?.[0];
      assert.ok(change && 'textDocument' in change);
      assert.equal(change.textDocument.version, null, 'a closed file is edited as on disk');
      await server.applyWorkspaceEdit(action.edit!);
      assert.ok(server.diskText(TRUST).includes(`"${ISSUER}:sub"`));
      await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 1);
    });
  });

  it('fix all in an open document, against its version; nothing is offered for a stale or foreign diagnostic', async () => {
    await withServer({ prepare }, async (server) => {
      await server.openDocument(TRUST);
      await server.waitForDiagnostics(TRUST, hasRule(RULE));
      await server.replaceInDocument(TRUST, '"Effect"', '"Effect" ');
      const fixAll = await codeActions(server, TRUST, [], ['source.fixAll']);
      assert.deepEqual(fixAll.map((a) => [a.title, a.kind]), [['Fix 2 IRSA problems in this file', 'source.fixAll.irsa']]);
      const change = fixAll[0]!.edit?.documentChanges?.[0];
      assert.ok(change && 'textDocument' in change);
      assert.equal(change.textDocument.version, 2, 'the edit names the open document version, edited after the last analysis');

      const foreign: Diagnostic = { range: { start: { line: 9, character: 10 }, end: { line: 9, character: 20 } }, message: 'x', source: 'irsa', code: RULE };
      assert.deepEqual(await codeActions(server, TRUST, [foreign]), [], 'a diagnostic that matches no current finding gets no fix');
      assert.deepEqual(await codeActions(server, TRUST, [], ['refactor']), [], 'fix-all is a source action, not offered for other kinds');

      await server.applyWorkspaceEdit(fixAll[0]!.edit!);
      await server.waitForDiagnostics(TRUST, lacksRule(RULE));
      assert.equal(server.documentText(TRUST), TRUST_TEXT.replaceAll(`https://${ISSUER}`, ISSUER).replace('"Effect"', '"Effect" '));
      assert.deepEqual(await codeActions(server, TRUST, [], ['source.fixAll']), [], 'nothing left to fix');
    });
  });

  it('cross-file: moving the ServiceAccount to the namespace its trust pins clears the mismatch on both files', async () => {
    const sa = 'k8s/s3-reader.yaml';
    const trust = 'roles/s3-reader.json';
    await withServer({ fixture: 's3-reader' }, async (server) => {
      const mismatch = ofRule(await server.waitForDiagnostics(sa, hasRule('sa-role-trust-mismatch')), 'sa-role-trust-mismatch');
      await server.waitForDiagnostics(trust, hasRule('trust-sub-no-service-account'));
      const actions = await codeActions(server, sa, mismatch);
      const move = actions.find((a) => a.title === "Move the ServiceAccount to namespace 'prod'");
      assert.ok(move?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(move.isPreferred, false, 'either side could be the mistake: fix-all must not guess');
      assert.ok(actions.some((a) => a.title === "Pin sub to 'system:serviceaccount:demo:s3-reader'"), 'the trust side is offered too');
      await server.applyWorkspaceEdit(move.edit);
      await server.waitForDiagnostics(sa, lacksRule('sa-role-trust-mismatch'));
      await server.waitForDiagnostics(trust, lacksRule('trust-sub-no-service-account'));
      assert.match(server.diskText(sa), /name: s3-reader\n  namespace: prod\n/);
      assert.match(server.diskText(sa), /name: report-exporter\n  namespace: prod\n/, 'the Deployment that runs as it moves along');
    });
  });

  it('Karpenter/IMDS: "set the hop limit to 1" applied over the protocol clears imds-hop-limit', async () => {
    const nodes = 'infra/nodes.tf';
    const text = (hops: string): string => `resource "aws_launch_template" "nodes" {
  name_prefix = "payments-nodes-"

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = ${hops}
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name  = "payments"
  node_role_arn = "arn:aws:iam::111122223333:role/payments-nodes"
  subnet_ids    = ["subnet-0a1b2c3d"]

  launch_template {
    name    = aws_launch_template.nodes.name
    version = "$Latest"
  }
}
`;
    const prepareNodes = (root: string): void => {
      fs.mkdirSync(path.join(root, 'infra'));
      fs.writeFileSync(path.join(root, nodes), text('2'));
    };
    await withServer({ prepare: prepareNodes }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(nodes, hasRule('imds-hop-limit')), 'imds-hop-limit');
      const actions = await codeActions(server, nodes, diagnostics);
      const set = actions.find((a) => a.title === "Set 'http_put_response_hop_limit = 1'");
      assert.ok(set?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(set.isPreferred, true);
      await server.applyWorkspaceEdit(set.edit);
      assert.equal(server.diskText(nodes), text('1'));
      await server.waitForDiagnostics(nodes, lacksRule('imds-hop-limit'));
    });
  });

  it('"Ignore <rule> on this line" writes the suppression comment in YAML and Terraform; applied, the finding goes and nothing else changes', async () => {
    const sa = 'k8s/s3-reader.yaml';
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForScanEnd();
      const before = (await server.waitForDiagnostics(sa, hasRule('sa-role-trust-mismatch'))).length;
      await server.openDocument(sa);
      const ignore = (await codeActions(server, sa, ofRule(server.diagnostics(sa), 'sa-role-trust-mismatch'))).find((a) => a.title === 'Ignore sa-role-trust-mismatch on this line');
      assert.ok(ignore?.edit);
      await server.applyWorkspaceEdit(ignore.edit);
      assert.match(server.documentText(sa) ?? '', /\n    # irsa-ignore sa-role-trust-mismatch\n    eks\.amazonaws\.com\/role-arn: /);
      const after = await server.waitForDiagnostics(sa, lacksRule('sa-role-trust-mismatch'));
      assert.equal(after.length, before - 1, `nothing new: ${JSON.stringify(after.map((d) => d.code))}`);
    });

    const nodes = 'infra/nodes.tf';
    const text = 'resource "aws_launch_template" "nodes" {\n  metadata_options {\n    # irsa-ignore trust-missing-aud\n    http_put_response_hop_limit = 2\n  }\n}\n';
    const prepare = (root: string): void => {
      fs.mkdirSync(path.join(root, 'infra'));
      fs.writeFileSync(path.join(root, nodes), text);
    };
    await withServer({ prepare }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(nodes, hasRule('imds-hop-limit')), 'imds-hop-limit');
      const ignore = (await codeActions(server, nodes, diagnostics)).find((a) => a.title === 'Ignore imds-hop-limit on this line');
      assert.ok(ignore?.edit);
      await server.applyWorkspaceEdit(ignore.edit);
      assert.equal(server.diskText(nodes), text.replace('trust-missing-aud', 'trust-missing-aud, imds-hop-limit'), 'added to the comment already there');
      await server.waitForDiagnostics(nodes, (ds) => ds.length === 0);
    });
  });

  it('"Ignore <rule> here" in JSON adds an ignore entry keyed by file, rule and JSON Pointer; only that finding goes', async () => {
    await withServer({ prepare }, async (server) => {
      const [sub, aud] = ofRule(await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 2), RULE);
      const titles = (await codeActions(server, TRUST, [sub!])).map((a) => a.title);
      assert.ok(!titles.includes(`Ignore ${RULE} on this line`), 'no comment in JSON');
      const ignore = (await codeActions(server, TRUST, [sub!])).find((a) => a.title === `Ignore ${RULE} here (.irsa-lint.json)`);
      assert.ok(ignore?.edit, JSON.stringify(titles));
      await server.applyWorkspaceEdit(ignore.edit);
      const subPointer = `/Statement/0/Condition/StringEquals/https:~1~1${ISSUER.replace(/\//g, '~1')}:sub`;
      assert.deepEqual(JSON.parse(server.diskText('.irsa-lint.json')), { ignore: [{ file: TRUST, rule: RULE, at: subPointer }] });
      const left = await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 1);
      assert.deepEqual(left.map((d) => [d.code, d.range.start.line]), [[RULE, aud!.range.start.line]], 'the :aud finding stays, nothing new');

      // The entry follows the key when lines move; the second action appends to the list.
      server.writeFile(TRUST, `\n\n${TRUST_TEXT}`);
      await server.notifyWatchedFiles([[TRUST, 2]]);
      const [moved] = ofRule(await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 1 && ds[0]!.range.start.line === aud!.range.start.line + 2), RULE);
      const second = (await codeActions(server, TRUST, [moved!])).find((a) => a.title === `Ignore ${RULE} here (.irsa-lint.json)`);
      assert.ok(second?.edit);
      await server.applyWorkspaceEdit(second.edit);
      assert.equal((JSON.parse(server.diskText('.irsa-lint.json')) as { ignore: unknown[] }).ignore.length, 2);
      await server.waitForDiagnostics(TRUST, (ds) => ds.length === 0);
    });
  });

  it('"Turn off <rule> in this workspace" creates .irsa-lint.json, then edits it; the rule goes quiet everywhere', async () => {
    await withServer({ prepare }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(TRUST, (ds) => ofRule(ds, RULE).length === 2), RULE);
      const off = (await codeActions(server, TRUST, [diagnostics[0]!])).find((a) => a.title.startsWith(`Turn off ${RULE}`));
      assert.ok(off?.edit);
      await server.applyWorkspaceEdit(off.edit);
      assert.deepEqual(JSON.parse(server.diskText('.irsa-lint.json')), { rules: { [RULE]: 'off' } });
      await server.waitForDiagnostics(TRUST, lacksRule(RULE));

      // With a file there, the next rule is added to it, keeping what it says.
      const aud = 'trust-missing-aud';
      server.writeFile('.irsa-lint.json', '{\n  // ours\n  "rules": { "trust-condition-key-scheme": "off" }\n}\n');
      server.writeFile(TRUST, TRUST_TEXT.replace(/,\n\s*"https:\/\/[^"]*:aud": "sts.amazonaws.com"/, ''));
      await server.notifyWatchedFiles([['.irsa-lint.json', 2], [TRUST, 2]]);
      const missingAud = ofRule(await server.waitForDiagnostics(TRUST, hasRule(aud)), aud);
      const offAud = (await codeActions(server, TRUST, missingAud)).find((a) => a.title.startsWith(`Turn off ${aud}`));
      assert.ok(offAud?.edit);
      await server.applyWorkspaceEdit(offAud.edit);
      assert.match(server.diskText('.irsa-lint.json'), /\/\/ ours/);
      assert.deepEqual(Object.keys(JSON.parse(server.diskText('.irsa-lint.json').replace('// ours', '')).rules), [RULE, aud]);
      await server.waitForDiagnostics(TRUST, (ds) => ds.length === 0);
    });
  });

  it('"Turn off" is not offered when the editor setting irsa.rules decides the rule', async () => {
    await withServer({ prepare, settings: { rules: { [RULE]: 'warning' } } }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(TRUST, hasRule(RULE)), RULE);
      const titles = (await codeActions(server, TRUST, [diagnostics[0]!])).map((a) => a.title);
      assert.ok(!titles.some((t) => t.startsWith('Turn off')), JSON.stringify(titles));
    });
  });

  it('"Show documentation for <rule>" runs a server command that asks the client to open the rule\'s page', async () => {
    await withServer({ prepare }, async (server) => {
      const diagnostics = ofRule(await server.waitForDiagnostics(TRUST, hasRule(RULE)), RULE);
      const docs = (await codeActions(server, TRUST, [diagnostics[0]!])).find((a) => a.title === `Show documentation for ${RULE}`);
      assert.ok(docs?.command);
      assert.equal(docs.edit, undefined);
      await server.connection.sendRequest(ExecuteCommandRequest.type, { command: docs.command.command, arguments: docs.command.arguments ?? [] });
      assert.deepEqual(server.shownDocuments, [{ uri: docsUrl(RULE), external: true }]);
      assert.equal(diagnostics[0]!.codeDescription?.href, docsUrl(RULE), 'the same page the diagnostic links to');
    });
  });
});
