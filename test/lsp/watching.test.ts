/**
 * Changes made outside the editor (reported by the client's file watcher)
 * and rule settings: `.irsa-lint.json` and the `irsa.rules` setting.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
  MessageType,
  type DidChangeWatchedFilesRegistrationOptions,
} from 'vscode-languageserver-protocol/node';
import { WATCHED_FILE_GLOBS } from '../../shared/formats';
import { hasRule, lacksRule, ofRule, withServer, WORKSPACE_FIXTURES } from './harness';

const SA_FILE = 'k8s/s3-reader.yaml';
const TRUST_FILE = 'roles/s3-reader.json';
const MISMATCH = 'sa-role-trust-mismatch';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E';

/** A trust policy for one ServiceAccount, with or without the audience condition. */
function trustPolicy(subject: string, options: { pinAudience: boolean }): string {
  const conditions: Record<string, string> = { [`${ISSUER}:sub`]: subject };
  if (options.pinAudience) conditions[`${ISSUER}:aud`] = 'sts.amazonaws.com';
  const statement = {
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: conditions },
  };
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2) + '\n';
}

/** Lacks the audience condition: `trust-missing-aud`. */
const UPLOADER_TRUST_POLICY = trustPolicy('system:serviceaccount:demo:s3-reader', { pinAudience: false });

describe('file watching', () => {
  it('registers watchers and follows files created, changed and deleted on disk', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      const registration = await server.waitUntil('a file watcher registration', () => server.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method));
      const globs = (registration.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers.map((w) => w.globPattern);
      for (const glob of WATCHED_FILE_GLOBS) assert.ok(globs.includes(glob), glob);
      assert.ok(globs.includes('**/.irsa-lint.json'));

      server.writeFile('roles/uploader.json', UPLOADER_TRUST_POLICY);
      await server.notifyWatchedFiles([['roles/uploader.json', FileChangeType.Created]]);
      await server.waitForDiagnostics('roles/uploader.json', hasRule('trust-missing-aud'));

      server.deleteFile('roles/uploader.json');
      await server.notifyWatchedFiles([['roles/uploader.json', FileChangeType.Deleted]]);
      await server.waitForDiagnostics('roles/uploader.json', (ds) => ds.length === 0);

      server.writeFile(SA_FILE, server.diskText(SA_FILE).replace('namespace: demo', 'namespace: prod'));
      await server.notifyWatchedFiles([[SA_FILE, FileChangeType.Changed]]);
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));
    });
  });

  it('follows shell scripts and templates changed on disk, which it once did not watch', async () => {
    // A ServiceAccount whose role only a script names: `aws iam create-role` links the role to its trust policy file.
    const prepare = (root: string): void => {
      fs.writeFileSync(path.join(root, 'roles', 'reports-trust.json'), trustPolicy('system:serviceaccount:prod:reports', { pinAudience: true }));
      fs.writeFileSync(
        path.join(root, 'k8s', 'reports.yaml'),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reports\n  namespace: staging\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/analytics-reports\n',
      );
    };
    const createRole = (roleName: string): string => `#!/usr/bin/env bash\naws iam create-role \\\n  --role-name ${roleName} \\\n  --assume-role-policy-document file://reports-trust.json\n`;
    await withServer({ fixture: 's3-reader', prepare }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      assert.deepEqual(ofRule(server.diagnostics('k8s/reports.yaml'), MISMATCH), [], 'no script names the role yet');

      server.writeFile('roles/create-roles.sh', createRole('analytics-reports'));
      await server.notifyWatchedFiles([['roles/create-roles.sh', FileChangeType.Created]]);
      await server.waitForDiagnostics('k8s/reports.yaml', hasRule(MISMATCH));

      server.writeFile('roles/create-roles.sh', createRole('analytics-exports'));
      await server.notifyWatchedFiles([['roles/create-roles.sh', FileChangeType.Changed]]);
      await server.waitForDiagnostics('k8s/reports.yaml', lacksRule(MISMATCH));

      // A templatefile() target is a trust policy of its own.
      server.writeFile('roles/uploader.json.tpl', UPLOADER_TRUST_POLICY.replace('demo', '${namespace}'));
      await server.notifyWatchedFiles([['roles/uploader.json.tpl', FileChangeType.Created]]);
      await server.waitForDiagnostics('roles/uploader.json.tpl', hasRule('trust-missing-aud'));

      server.writeFile('roles/uploader.json.tpl', trustPolicy('system:serviceaccount:${namespace}:s3-reader', { pinAudience: true }));
      await server.notifyWatchedFiles([['roles/uploader.json.tpl', FileChangeType.Changed]]);
      await server.waitForDiagnostics('roles/uploader.json.tpl', lacksRule('trust-missing-aud'));
    });
  });

  it('drops every file of a deleted directory', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(TRUST_FILE, hasRule('trust-sub-no-service-account'));
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      server.deleteFile('roles');
      await server.notifyWatchedFiles([['roles', FileChangeType.Deleted]]);
      await server.waitForDiagnostics(TRUST_FILE, (ds) => ds.length === 0);
      // Without its trust policy in the workspace the role is unknown: no claim about it.
      await server.waitForDiagnostics(SA_FILE, (ds) => ds.length === 0);
    });
  });

  it('keeps the editor text of an open document over the disk', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      await server.openDocument(SA_FILE);
      server.writeFile(SA_FILE, server.diskText(SA_FILE).replace('namespace: demo', 'namespace: prod'));
      await server.notifyWatchedFiles([[SA_FILE, FileChangeType.Changed]]);
      // Synchronise on a later change to another file, then check the open one did not move.
      server.writeFile('roles/uploader.json', UPLOADER_TRUST_POLICY);
      await server.notifyWatchedFiles([['roles/uploader.json', FileChangeType.Created]]);
      await server.waitForDiagnostics('roles/uploader.json', hasRule('trust-missing-aud'));
      assert.equal(ofRule(server.diagnostics(SA_FILE), MISMATCH).length, 1);
      // Closing it reads the disk.
      await server.closeDocument(SA_FILE);
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));
    });
  });
});

describe('rule settings', () => {
  it('come from .irsa-lint.json, are overridden by irsa.rules, and survive a broken file', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));

      server.writeFile('.irsa-lint.json', JSON.stringify({ rules: { [MISMATCH]: 'off' } }));
      await server.notifyWatchedFiles([['.irsa-lint.json', FileChangeType.Created]]);
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));

      // The editor setting wins over the file.
      await server.changeSettings({ rules: { [MISMATCH]: 'warning' } });
      const [asWarning] = ofRule(await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH)), MISMATCH);
      assert.equal(asWarning!.severity, DiagnosticSeverity.Warning);

      await server.changeSettings({ rules: { [MISMATCH]: 'note' } });
      await server.waitForDiagnostics(SA_FILE, (ds) => ofRule(ds, MISMATCH)[0]?.severity === DiagnosticSeverity.Information);

      // Without the setting the file applies again.
      await server.changeSettings({});
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));

      // A broken file is reported, and the defaults apply.
      server.writeFile('.irsa-lint.json', '{ "rules": { "sa-role-trust-mismatch": "of" ');
      await server.notifyWatchedFiles([['.irsa-lint.json', FileChangeType.Changed]]);
      const warning = await server.waitUntil('a warning about the broken .irsa-lint.json', () => server.shownMessages.find((m) => m.type === MessageType.Warning));
      assert.match(warning.message, /\.irsa-lint\.json/);
      const [asError] = ofRule(await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH)), MISMATCH);
      assert.equal(asError!.severity, DiagnosticSeverity.Error);
    });
  });

  it('apply from the start when the client answers workspace/configuration', async () => {
    await withServer({ fixture: 's3-reader', settings: { rules: { [MISMATCH]: 'note', 'trust-sub-no-service-account': 'off' } } }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, (ds) => ofRule(ds, MISMATCH)[0]?.severity === DiagnosticSeverity.Information);
      await server.waitForScanEnd();
      assert.ok(!server.publications.some(([file]) => file === TRUST_FILE), 'trust-sub-no-service-account is off');
    });
  });

  it('of each workspace folder come from its own .irsa-lint.json', async () => {
    const prepare = (root: string): void => {
      fs.cpSync(path.join(WORKSPACE_FIXTURES, 's3-reader'), path.join(root, 'platform'), { recursive: true });
      fs.writeFileSync(path.join(root, 'platform', '.irsa-lint.json'), JSON.stringify({ rules: { [MISMATCH]: 'off' } }));
      // A second team's repository with the same mistake and no configuration.
      fs.mkdirSync(path.join(root, 'batch', 'roles'), { recursive: true });
      fs.writeFileSync(path.join(root, 'batch', 'roles', 'batch-runner.json'), trustPolicy('system:serviceaccount:prod:batch-runner', { pinAudience: true }));
      fs.mkdirSync(path.join(root, 'batch', 'k8s'));
      fs.writeFileSync(
        path.join(root, 'batch', 'k8s', 'batch-runner.yaml'),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: batch-runner\n  namespace: jobs\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/batch-runner\n',
      );
    };
    await withServer({ prepare, folders: ['platform', 'batch'] }, async (server) => {
      await server.waitForDiagnostics('batch/k8s/batch-runner.yaml', hasRule(MISMATCH));
      await server.waitForScanEnd();
      assert.deepEqual(ofRule(server.diagnostics(`platform/${SA_FILE}`), MISMATCH), [], 'off in platform/.irsa-lint.json');
    });
  });
});

describe('workspace scan', () => {
  it('skips files over irsa.maxFileSizeKB, logs why, and re-scans when the limit changes', async () => {
    const prepare = (root: string): void => {
      // The trust policy padded to 3 KB: over a 2 KB limit, under a 4 KB one.
      const file = path.join(root, TRUST_FILE);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8') + ' '.repeat(3 * 1024));
      // A small file with a finding, to know when the first analysis was published.
      fs.writeFileSync(path.join(root, 'roles', 'uploader.json'), UPLOADER_TRUST_POLICY);
    };
    await withServer({ fixture: 's3-reader', prepare, settings: { maxFileSizeKB: 2 } }, async (server) => {
      await server.waitForDiagnostics('roles/uploader.json', hasRule('trust-missing-aud'));
      const skipped = await server.waitUntil('the skipped file in the log', () => server.logMessages.find((m) => m.message.includes('skipped') && m.message.includes('s3-reader.json')));
      assert.match(skipped.message, /2 KB/);
      // Without its trust policy the role is unknown, so nothing is claimed about it.
      assert.equal(server.diagnostics(SA_FILE).length, 0);

      await server.changeSettings({ maxFileSizeKB: 4 });
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));

      await server.changeSettings({ maxFileSizeKB: 2 });
      await server.waitForDiagnostics(SA_FILE, lacksRule(MISMATCH));
    });
  });

  it('follows workspace folders removed and added', async () => {
    await withServer({ fixture: 's3-reader' }, async (server) => {
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
      const folder = { uri: server.uri(''), name: 'workspace' };
      await server.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [folder] } });
      await server.waitForDiagnostics(SA_FILE, (ds) => ds.length === 0);
      await server.waitForDiagnostics(TRUST_FILE, (ds) => ds.length === 0);
      await server.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [folder], removed: [] } });
      await server.waitForDiagnostics(SA_FILE, hasRule(MISMATCH));
    });
  });
});
