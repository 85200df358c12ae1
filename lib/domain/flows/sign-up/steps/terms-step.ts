import { regionLocale } from '../../../regions/region-policy';
import type { FlowNode } from '../../flow';
import { accountDone, afterAccount, ticked } from './step-checks';
import { flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const termsStep: StepDefinition = {
  id: 'terms',
  inline: true,
  applies: afterAccount,
  done: accountDone('terms'),
  render(s, kit, deps) {
    const policy = s.policy;
    if (!policy) return [];
    const nodes: FlowNode[] = [];
    const acceptedBefore = s.account?.acceptances.some((a) => a.region === policy.code) ?? false;
    nodes.push(kit.text('terms', 'terms-intro', kit.message(acceptedBefore ? 'signup.terms.updated' : 'signup.terms.intro')));
    for (const doc of policy.documents) {
      const context = { href: deps.links.document(policy.code, doc.id), version: doc.version };
      nodes.push(kit.input('terms', { name: `accept_${doc.id}`, type: 'checkbox', required: true }, kit.label(`legal.accept.${doc.id}`, context)));
    }
    nodes.push(kit.submit('continue', 'signup.action.accept'));
    return nodes;
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy) return flowError(409, 'signup.step_mismatch');
    const missing = policy.documents.filter((d) => !ticked(values[`accept_${d.id}`]));
    if (missing.length > 0) {
      return reject(400, Object.fromEntries(missing.map((d) => [`accept_${d.id}`, [{ id: 'signup.terms.required' }]])));
    }
    const locale = regionLocale(policy, s.flow.locale);
    const committed = await rt.commit(async (tx) => {
      for (const doc of policy.documents) {
        await tx.recordAcceptance({ accountId: account.id, region: policy.code, documentId: doc.id, version: doc.version, locale, source: 'signup' });
      }
      await tx.recordStep(account.id, 'terms', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
