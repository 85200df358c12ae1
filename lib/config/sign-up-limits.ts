import type { SignUpLimits } from '../domain/flows/sign-up-deps-types';
import type { IdpConfig } from './idp-config-schema';

/** policies.signup of idp.config.yaml as the sign-up service reads it. */
export function signUpLimitsOf(signup: IdpConfig['policies']['signup']): SignUpLimits {
  return {
    flowTtlSeconds: signup.flow_ttl_seconds,
    codeTtlSeconds: signup.code_ttl_seconds,
    codeMaxAttempts: signup.code_max_attempts,
    codeResendSeconds: signup.code_resend_seconds,
    codeSendsPerFlow: signup.code_sends_per_flow,
  };
}
