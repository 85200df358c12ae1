import type { Flow, FlowNode } from '@/lib/domain/flows/flow';

/**
 * Sign-up flows written from the contract (lib/domain/flows/flow.ts), for the renderer's unit
 * tests. Message ids under `fixture.` are not in messages/*.json on purpose (the renderer falls
 * back to `text`); tests that exercise translation add them to the messages they pass.
 */

const FLOW_ID = 'fixture-flow-0123456789abcdef';
const ACTION = `/api/flows/${FLOW_ID}`;

function flow(nodes: FlowNode[], messages: Flow['ui']['messages'] = [], extra: Partial<Flow> = {}): Flow {
  return {
    id: FLOW_ID,
    type: 'signup',
    state: 'active',
    expires_at: '2026-11-22T04:00:00.000Z',
    locale: 'en',
    region: 'TW',
    ui: { action: ACTION, method: 'POST', nodes, messages },
    ...extra,
  };
}

const submit = (label = 'Continue', name = 'action', value = 'continue'): FlowNode => ({
  type: 'input',
  group: 'default',
  attributes: { name, type: 'submit', value },
  messages: [],
  meta: { label: { id: `fixture.${value}`, text: label } },
});

const backToSignIn: FlowNode = {
  type: 'a',
  group: 'navigation',
  attributes: { id: 'sign-in', href: '/interaction/uid-123', title: { id: 'fixture.backToSignIn', text: 'Already have an account? Sign in' } },
  messages: [],
  meta: {},
};

/** First step: region picker and email, with a CSRF-like hidden field. */
export const EMAIL_STEP: Flow = flow([
  { type: 'input', group: 'default', attributes: { name: 'step', type: 'hidden', value: 'email' }, messages: [], meta: {} },
  submit(),
  {
    type: 'input',
    group: 'region',
    attributes: {
      name: 'region',
      type: 'select',
      required: true,
      options: [
        { value: 'JP', label: { id: 'fixture.region.JP', text: 'Japan' } },
        { value: 'TW', label: { id: 'fixture.region.TW', text: 'Taiwan' } },
      ],
    },
    messages: [],
    meta: { label: { id: 'fixture.region', text: 'Country or region' } },
  },
  {
    type: 'input',
    group: 'email',
    attributes: { name: 'email', type: 'email', required: true, autocomplete: 'email', maxlength: 320 },
    messages: [],
    meta: { label: { id: 'fixture.email', text: 'Email' } },
  },
  backToSignIn,
]);

/** The same step after a malformed email: the value is kept, the error is tied to the field. */
export const EMAIL_STEP_WITH_ERROR: Flow = flow(
  [
    {
      type: 'input',
      group: 'email',
      attributes: { name: 'email', type: 'email', required: true, autocomplete: 'email', value: 'not-an-email' },
      messages: [{ id: 'fixture.email_invalid', type: 'error', text: 'Enter an email address like name@example.com.' }],
      meta: { label: { id: 'fixture.email', text: 'Email' } },
    },
    submit(),
  ],
  [{ id: 'fixture.fix_errors', type: 'error', text: 'Check the highlighted field.' }],
);

/** The code step: an explanation with the address, the code field, and a secondary resend button. */
export const CODE_STEP: Flow = flow([
  {
    type: 'text',
    group: 'code',
    attributes: { id: 'code-sent', text: { id: 'fixture.code_sent', type: 'info', text: 'We sent a code to {email}. It is valid for {minutes} minutes.', context: { email: 'mei@example.com', minutes: 10 } } },
    messages: [],
    meta: {},
  },
  {
    type: 'input',
    group: 'code',
    attributes: { name: 'code', type: 'text', required: true, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 },
    messages: [{ id: 'fixture.code_wrong', type: 'error', text: 'That code is not right. {remaining} attempts left.', context: { remaining: 4 } }],
    meta: { label: { id: 'fixture.code', text: 'Code' } },
  },
  submit('Verify'),
  submit('Send a new code', 'action', 'resend'),
]);

/** The password step after a common password, with the server's strength score. */
export const PASSWORD_STEP: Flow = flow([
  {
    type: 'input',
    group: 'password',
    attributes: { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: 8, maxlength: 1024, value: 'should-never-be-echoed' },
    messages: [{ id: 'fixture.password_common', type: 'error', text: 'This password is too common.' }],
    meta: { label: { id: 'fixture.password', text: 'Password' }, strength: { score: 1, max: 4 } },
  },
  submit(),
]);

/** Birth date and the terms/privacy checkboxes whose labels link to the documents. */
export const CONSENT_STEP: Flow = flow([
  {
    type: 'input',
    group: 'profile',
    attributes: { name: 'birthdate', type: 'date', required: true, autocomplete: 'bday', max: '2026-11-22' },
    messages: [],
    meta: { label: { id: 'fixture.birthdate', text: 'Date of birth' } },
  },
  {
    type: 'input',
    group: 'consent',
    attributes: { name: 'terms', type: 'checkbox', required: true, value: 'true' },
    messages: [],
    meta: { label: { id: 'fixture.terms', text: 'I accept the <link>Terms of Service</link> (version {version})', context: { href: '/legal/TW/terms', version: '2' } } },
  },
  {
    type: 'input',
    group: 'consent',
    attributes: { name: 'privacy', type: 'checkbox', required: true },
    messages: [],
    meta: { label: { id: 'fixture.privacy', text: 'I have read the <link>Privacy Policy</link>', context: { href: 'javascript:alert(1)' } } },
  },
  {
    type: 'script',
    group: 'default',
    attributes: { id: 'enhance', src: '/flow-enhancements.js', integrity: 'sha384-abc' },
    messages: [],
    meta: {},
  },
  submit(),
]);

/** Refused (below the minimum age): an explanation and no fields, so no form. */
export const REFUSED_FLOW: Flow = flow(
  [
    {
      type: 'text',
      group: 'default',
      attributes: { id: 'refused', text: { id: 'fixture.too_young', type: 'error', text: 'You must be at least {years} to create an account.', context: { years: 13 } } },
      messages: [],
      meta: {},
    },
    backToSignIn,
  ],
  [],
  { state: 'refused', continue_to: '/oidc/auth/resume-123' },
);

/** Complete: a success text and the link back into the authorization request. */
export const COMPLETE_FLOW: Flow = flow(
  [
    {
      type: 'text',
      group: 'complete',
      attributes: { id: 'signup-complete', text: { id: 'fixture.done', type: 'success', text: 'Your account is ready.' } },
      messages: [],
      meta: {},
    },
    {
      type: 'a',
      group: 'complete',
      attributes: { id: 'continue', href: '/oidc/auth/resume-123', title: { id: 'fixture.continue', text: 'Continue' } },
      messages: [],
      meta: {},
    },
  ],
  [],
  { state: 'complete', continue_to: '/oidc/auth/resume-123' },
);
