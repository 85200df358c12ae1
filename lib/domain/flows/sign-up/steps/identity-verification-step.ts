import { accountDone, afterAccount } from './step-checks';
import { flowError } from './step-outcomes';
import type { StepDefinition } from './step-types';

/** Placeholder: no provider is integrated yet. Continuing records a PENDING verification. */
export const identityVerificationStep: StepDefinition = {
  id: 'identity_verification',
  inline: true,
  applies: afterAccount,
  done: accountDone('identity_verification'),
  render(_s, kit) {
    return [
      kit.text('identity_verification', 'kyc-intro', kit.message('signup.kyc.intro')),
      kit.text('identity_verification', 'kyc-placeholder', kit.message('signup.kyc.placeholder')),
      kit.submit('continue', 'signup.action.start_verification'),
    ];
  },
  async handle(s, _values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const committed = await rt.commit(async (tx) => {
      await tx.recordIdentityVerification({ accountId: account.id, method: 'placeholder' });
      await tx.recordStep(account.id, 'identity_verification', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok', info: { id: 'signup.kyc.pending' } };
  },
};
