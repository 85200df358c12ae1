import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { LoadedAccount } from './find-account';
import { CREATE_PROMPT, READINESS_PROMPT } from './prompt-names';

const { Check, Prompt } = interactionPolicy;


/**
 * `create`, requestable, so discovery lists it in prompt_values_supported. It is resolved by any
 * login result: the finished sign-up, or a sign-in by someone who already had an account and
 * followed the "sign in instead" link.
 */
export function buildCreatePrompt(): interactionPolicy.Prompt {
  const prompt = new Prompt({ name: CREATE_PROMPT, requestable: true });
  prompt.checks.clear();
  prompt.checks.add(
    new Check(`${CREATE_PROMPT}_prompt`, 'create prompt was not resolved', 'interaction_required', (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      return oidc.prompts.has(CREATE_PROMPT) && oidc.promptPending(CREATE_PROMPT) && !oidc.result?.login ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return prompt;
}

/** Whether an account has done every sign-up step its region asks for (null: no such account). */
export type ReadinessOf = (accountId: string) => Promise<{ ready: boolean; missing: string[] } | null>;

/**
 * `readiness`: tokens only for ready accounts. An SSO session of an account with missing steps
 * gets an interaction (the page continues into a sign-up flow for them) instead of a code; with
 * prompt=none, error=interaction_required. It also runs right after a login, so that any way of
 * signing in (password, later passkeys or upstream providers) gives tokens to ready accounts only.
 */
export function buildReadinessPrompt(readinessOf: ReadinessOf): interactionPolicy.Prompt {
  const missing = new WeakMap<object, string[]>();
  return new Prompt(
    { name: READINESS_PROMPT, requestable: false },
    new Check(
      'account_not_ready',
      'the account has sign-up steps to complete',
      'interaction_required',
      async (ctx: KoaContextWithOIDC) => {
        const account = ctx.oidc.account as LoadedAccount | undefined;
        if (!account) return Check.NO_NEED_TO_PROMPT;
        const readiness = await readinessOf(account.accountId);
        if (!readiness || readiness.ready) return Check.NO_NEED_TO_PROMPT;
        missing.set(ctx, readiness.missing);
        return Check.REQUEST_PROMPT;
      },
      (ctx: KoaContextWithOIDC) => ({ missing_steps: missing.get(ctx) ?? [] }),
    ),
  );
}

/** prompt_values_supported for discovery (the library does not publish it): none and every requestable prompt. */
export function promptValuesSupported(policy: readonly { name: string; requestable: boolean }[]): string[] {
  return ['none', ...policy.filter((p) => p.requestable).map((p) => p.name)];
}
