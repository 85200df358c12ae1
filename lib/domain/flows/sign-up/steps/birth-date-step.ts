import { EARLIEST_BIRTH_DATE, isoDay, parseBirthDate } from '../../birth-date';
import { isMinor } from '../../readiness';
import { accountDone, afterAccount } from './step-checks';
import { field, flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const birthDateStep: StepDefinition = {
  id: 'birth_date',
  inline: true,
  applies: afterAccount,
  done: accountDone('birth_date'),
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.birth_date;
    return [
      kit.text('birth_date', 'birth-date-intro', kit.message('signup.birth_date.intro')),
      kit.input(
        'birth_date',
        { name: 'birth_date', type: 'date', required: true, autocomplete: 'bday', min: EARLIEST_BIRTH_DATE, max: isoDay(s.now), ...(value ? { value } : {}) },
        kit.label('signup.birth_date.label'),
      ),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const { account, policy } = s;
    if (!account || !policy) return flowError(409, 'signup.step_mismatch');
    const raw = (values.birth_date ?? '').slice(0, 32);
    const parsed = parseBirthDate(raw, rt.now);
    if (!parsed.ok) {
      const context = parsed.problem === 'too_early' ? { date: EARLIEST_BIRTH_DATE } : undefined;
      return reject(400, field('birth_date', `signup.birth_date.${parsed.problem}`, context), { values: { birth_date: raw } });
    }
    const minor = isMinor(parsed.value, policy, rt.now);
    if (minor && policy.minimumAge?.below === 'refuse') {
      const years = policy.minimumAge.years;
      const committed = await rt.commit(async (tx) => {
        // Nothing of a refused sign-up is kept: the pending account goes with its email and steps.
        if (account.status === 'pending') await tx.deleteAccount(account.id);
        await tx.updateFlow(s.flow.id, { state: 'refused', accountId: account.status === 'pending' ? null : account.id });
      });
      return committed.lost ? { kind: 'lost' } : { kind: 'refused', reason: { id: 'signup.age.refused', context: { years } } };
    }
    const committed = await rt.commit(async (tx) => {
      await tx.updateAccount(account.id, { birthDate: parsed.value });
      await tx.recordStep(account.id, 'birth_date', 'signup');
    });
    if (committed.lost) return { kind: 'lost' };
    return minor ? { kind: 'ok', info: { id: 'signup.guardian.needed', context: { years: policy.minimumAge?.years ?? 0 } } } : { kind: 'ok' };
  },
};
