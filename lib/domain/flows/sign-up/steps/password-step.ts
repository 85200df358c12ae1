import { checkNewPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../credentials/password-policy';
import { accountDone, afterAccount } from './step-checks';
import { field, flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const passwordStep: StepDefinition = {
  id: 'password',
  applies: afterAccount,
  done: accountDone('password'),
  render(_s, kit, _deps, feedback) {
    const node = kit.input(
      'password',
      { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: PASSWORD_MIN_LENGTH, maxlength: PASSWORD_MAX_LENGTH },
      kit.label('signup.password.label'),
    );
    if (feedback?.strength !== undefined) node.meta.strength = { score: feedback.strength, max: 4 };
    return [
      kit.text('password', 'password-rules', kit.message('signup.password.rules', 'info', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })),
      node,
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const password = values.password ?? '';
    const check = checkNewPassword(password, [account.email, account.name ?? ''], rt.deps.passwordStrength);
    if (!check.ok) {
      const context: Record<string, number> | undefined =
        check.reason === 'too_short' ? { min: PASSWORD_MIN_LENGTH } : check.reason === 'too_long' ? { max: PASSWORD_MAX_LENGTH } : undefined;
      return reject(400, field('password', `signup.password.${check.reason}`, context), check.score === undefined ? {} : { strength: check.score });
    }
    // argon2id outside the transaction: it takes tens of milliseconds and holds no lock.
    const passwordHash = await rt.deps.hasher.hash(password);
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { passwordHash });
      await tx.recordStep(account.id, 'password', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
