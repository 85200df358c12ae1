import { issueCode } from './issue-code';
import { EMAIL_MAX_LENGTH, parseEmail } from './step-checks';
import { field, reject } from './step-outcomes';
import type { StepDefinition } from './step-types';

export const emailStep: StepDefinition = {
  id: 'email',
  applies: () => true,
  done: (s) => s.account !== null || s.flow.email !== null,
  render(s, kit, _deps, feedback) {
    const value = feedback?.values.email ?? s.flow.email ?? '';
    return [
      kit.text('email', 'email-intro', kit.message('signup.email.intro')),
      kit.input('email', { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: EMAIL_MAX_LENGTH, inputmode: 'email', ...(value ? { value } : {}) }, kit.label('signup.email.label')),
      kit.submit('continue', 'signup.action.continue'),
    ];
  },
  async handle(s, values, rt) {
    const parsed = parseEmail(values.email);
    if (!parsed.ok) return reject(400, field('email', 'signup.email.invalid'), { values: { email: (values.email ?? '').slice(0, EMAIL_MAX_LENGTH) } });
    return issueCode(s, rt, parsed.email, { resend: false, setEmail: true });
  },
};
