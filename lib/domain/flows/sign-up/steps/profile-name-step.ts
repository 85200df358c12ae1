import { accountDone, afterAccount, NAME_MAX_LENGTH, validName } from './step-checks';
import { field, flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const profileNameStep: StepDefinition = {
  id: 'profile_name',
  inline: true,
  applies: afterAccount,
  done: accountDone('profile_name'),
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.name ?? s.account?.name ?? '';
    return [
      kit.input('profile_name', { name: 'name', type: 'text', required: true, autocomplete: 'name', maxlength: NAME_MAX_LENGTH, ...(value ? { value } : {}) }, kit.label('signup.name.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const name = (values.name ?? '').trim().normalize('NFC');
    if (!validName(name)) return reject(400, field('name', 'signup.name.invalid'), { values: { name: name.slice(0, NAME_MAX_LENGTH) } });
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { name });
      await tx.recordStep(account.id, 'profile_name', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
