import { ACCOUNT_STEP_RULES } from '../../readiness';
import { accountDone, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, parseEmail, ticked, validName } from './step-checks';
import { flowError, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const guardianConsentStep: StepDefinition = {
  id: 'guardian_consent',
  inline: true,
  applies: (s) => s.account !== null && s.policy !== null && ACCOUNT_STEP_RULES.guardian_consent.applies(s.account, s.policy, s.now),
  done: accountDone('guardian_consent'),
  render(s, kit, _deps, feedback) {
    const v = feedback?.values ?? {};
    return [
      kit.text('guardian_consent', 'guardian-intro', kit.message('signup.guardian.intro', 'info', { years: s.policy?.minimumAge?.years ?? 0 })),
      kit.input('guardian_consent', { name: 'guardian_name', type: 'text', required: true, autocomplete: 'off', maxlength: NAME_MAX_LENGTH, ...(v.guardian_name ? { value: v.guardian_name } : {}) }, kit.label('signup.guardian.name')),
      kit.input(
        'guardian_consent',
        { name: 'guardian_email', type: 'email', required: true, autocomplete: 'off', maxlength: EMAIL_MAX_LENGTH, inputmode: 'email', ...(v.guardian_email ? { value: v.guardian_email } : {}) },
        kit.label('signup.guardian.email'),
      ),
      kit.input('guardian_consent', { name: 'guardian_confirm', type: 'checkbox', required: true }, kit.label('signup.guardian.confirm')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const account = s.account;
    if (!account) return flowError(409, 'signup.step_mismatch');
    const name = (values.guardian_name ?? '').trim();
    const email = parseEmail(values.guardian_email);
    const fields: Record<string, { id: string }[]> = {};
    if (!validName(name)) fields.guardian_name = [{ id: 'signup.guardian.name_invalid' }];
    if (!email.ok) fields.guardian_email = [{ id: 'signup.email.invalid' }];
    else if (email.email === account.email) fields.guardian_email = [{ id: 'signup.guardian.email_same' }];
    if (!ticked(values.guardian_confirm)) fields.guardian_confirm = [{ id: 'signup.guardian.confirm_required' }];
    if (Object.keys(fields).length > 0 || !email.ok) {
      return reject(400, fields, { values: { guardian_name: name.slice(0, NAME_MAX_LENGTH), guardian_email: (values.guardian_email ?? '').slice(0, EMAIL_MAX_LENGTH) } });
    }
    const committed = await rt.commit(async (tx) => {
      await tx.recordGuardianConsent({ accountId: account.id, guardianName: name, guardianEmail: email.email });
      await tx.recordStep(account.id, 'guardian_consent', 'signup');
    });
    return committed.lost ? { kind: 'lost' } : { kind: 'ok' };
  },
};
