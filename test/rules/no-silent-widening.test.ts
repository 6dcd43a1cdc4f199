/**
 * The promise every quick fix makes, checked on every fix the engine offers
 * for every rule fixture and example: a fix that lets more ServiceAccounts
 * assume a role says so (`widens`, "widens" in its title) and is never
 * preferred, so neither the lightbulb's default nor fix-all nor
 * `irsa-lint --fix` ever grants access silently.
 *
 * "More" is measured on the trust side: for each file, the number of
 * ServiceAccount subjects (every subject the workspace defines or a sub
 * condition names, before or after, plus two strangers) that some EKS
 * web-identity statement in it certainly admits.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis';
import { applyFix } from '../../server/src/edit/edits';
import { fixContextOf, fixesFor } from '../../server/src/rules/fixes';
import { admitsClaim, conditionsForClaim } from '../../server/src/index/irsa';
import { subjectOfServiceAccount } from '../../server/src/index/irsa';
import type { WorkspaceModel } from '../../server/src/index/model';
import type { Workspace } from '../../server/src/index/workspace';
import { initParsers } from '../../server/src/node/host';
import { knownText } from '../../server/src/common/value';
import { parseFixture, workspaceOf, type Fixture } from '../support/fixture';
import { allRuleFixtures } from '../support/rule-fixtures';

const STRANGERS = ['system:serviceaccount:default:default', 'system:serviceaccount:kube-system:intruder'];

before(async () => {
  await initParsers();
});

function subjectsNamed(model: WorkspaceModel): Set<string> {
  const subjects = new Set<string>(STRANGERS);
  for (const sa of model.serviceAccounts) {
    const s = subjectOfServiceAccount(sa);
    if (s) subjects.add(s);
  }
  for (const { statement } of model.allEksWebIdentityStatements()) {
    for (const c of conditionsForClaim(statement, 'sub')) for (const v of c.values) {
      const text = knownText(v.value);
      if (text && !/[*?]/.test(text)) subjects.add(text);
    }
  }
  return subjects;
}

/** File → how many of `probes` some statement in it certainly admits. */
function admittedPerFile(model: WorkspaceModel, probes: ReadonlySet<string>): Map<string, number> {
  const admitted = new Map<string, Set<string>>();
  for (const { policy, statement } of model.allEksWebIdentityStatements()) {
    if (statement.effect !== 'Allow') continue;
    let set = admitted.get(policy.span.uri);
    if (!set) admitted.set(policy.span.uri, (set = new Set()));
    for (const probe of probes) if (admitsClaim(statement, 'sub', probe) === true) set.add(probe);
  }
  return new Map([...admitted].map(([uri, set]) => [uri, set.size]));
}

function fixtures(): { name: string; fixture: Fixture }[] {
  return allRuleFixtures().map(({ ruleId, file, text }) => ({ name: `${ruleId}/${file}`, fixture: parseFixture(text) }));
}

function withChanges(fixture: Fixture, changed: ReadonlyMap<string, string>): Workspace {
  const workspace = workspaceOf(fixture);
  for (const [uri, text] of changed) workspace.setFile(uri, text);
  return workspace;
}

describe('quick fixes', () => {
  it('never widen a trust policy without saying so, on every fix offered for every rule fixture', () => {
    let checked = 0;
    const silent: string[] = [];
    for (const { name, fixture } of fixtures()) {
      const workspace = workspaceOf(fixture);
      const options = fixture.live ? { live: fixture.live } : {};
      const { findings } = analyze(workspace, options);
      const model = workspace.model();
      const context = fixContextOf(workspace);
      for (const finding of findings) {
        for (const fix of fixesFor(finding, context)) {
          checked++;
          const changed = applyFix((uri) => workspace.text(uri), fix);
          const after = withChanges(fixture, changed).model();
          const probes = new Set([...subjectsNamed(model), ...subjectsNamed(after)]);
          const was = admittedPerFile(model, probes);
          for (const [uri, count] of admittedPerFile(after, probes)) {
            if (count > (was.get(uri) ?? 0) && !fix.widens) silent.push(`${name}: "${fix.title}" (${finding.ruleId}) admits ${count} subjects in ${uri.slice(uri.lastIndexOf('/') + 1)}, ${was.get(uri) ?? 0} before`);
          }
          if (fix.widens) {
            assert.match(fix.title, /widen/i, `${name}: "${fix.title}" widens without saying so`);
            assert.notEqual(fix.preferred, true, `${name}: "${fix.title}" widens and is preferred`);
          }
        }
      }
    }
    assert.deepEqual(silent, []);
    assert.ok(checked > 50, `only ${checked} fixes were checked: the fixtures should exercise the providers`);
  });
});
