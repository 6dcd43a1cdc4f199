/** `irsa.live.kubernetesContexts` as the server validates what the client sends. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSettings } from '../../server/src/config';
import { RULE_IDS } from '../../server/src/rules/registry';

describe('irsa.live.kubernetesContexts', () => {
  it('defaults to none (the current context), and keeps the names given, once each', () => {
    assert.deepEqual(validateSettings({}, RULE_IDS).settings.live.kubernetesContexts, []);
    const { settings, errors } = validateSettings({ live: { kubernetesContexts: ['payments', 'arn:aws:eks:eu-west-1:111122223333:cluster/payments', 'payments'] } }, RULE_IDS);
    assert.deepEqual(errors, []);
    assert.deepEqual(settings.live.kubernetesContexts, ['payments', 'arn:aws:eks:eu-west-1:111122223333:cluster/payments']);
  });

  it('says what is wrong with a value that is no list of names, and uses none', () => {
    for (const bad of ['payments', [''], [3], { a: 1 }]) {
      const { settings, errors } = validateSettings({ live: { kubernetesContexts: bad } }, RULE_IDS);
      assert.deepEqual(settings.live.kubernetesContexts, []);
      assert.match(errors.join('\n'), /irsa\.live\.kubernetesContexts must be a list of kubeconfig context names/);
    }
  });
});
