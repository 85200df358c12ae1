import { accountDone, afterAccount, ticked } from './step-checks';
import { flowError } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const marketingConsentStep: StepDefinition = {
  id: 'marketing_consent',
  inline: true,
  applies: afterAccount,
  done: accountDone('marketing_consent'),
  render(s, kit) {
    const preTicked = s.policy?.marketing === 'opt_out';
    return [
      kit.text('marketing_consent', 'marketing-intro', kit.message('signup.marketing.intro')),
      kit.input('marketing_consent', { name: 'marketing', type: 'checkbox', ...(preTicked ? { value: 'true' } : {}) }, kit.label('signup.marketing.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy || policy.marketing === 'none') return flowError(409, 'signup.step_mismatch');
    const granted = ticked(values.marketing);
    const method = policy.marketing;
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { marketingOptIn: granted });
      await tx.recordConsent({ accountId: account.id, purpose: 'marketing', granted, method, region: policy.code, locale: s.flow.locale });
      await tx.recordStep(account.id, 'marketing_consent', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
