import { z } from 'zod';

/**
 * How people of a region sign in (issue 4 §1): `signin_methods` of a region entry of
 * idp.config.yaml. Rules:
 * 1. a method is `password`, `email_code` (passwordless: a one-time code by email), or the id
 *    of a social provider declared in `social_providers` (schema/social-providers.ts);
 * 2. at least one method, each listed once; the sign-in page shows them in this order.
 * The default, `[password]`, is what every region offered before this key existed.
 */

/** Methods that are not a social provider. */
export const LOCAL_SIGN_IN_METHODS = ['password', 'email_code'] as const;
export type LocalSignInMethod = (typeof LOCAL_SIGN_IN_METHODS)[number];

const methodId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'password, email_code, or a social provider id such as line or google');

const signInMethodsSchema = z
  .array(methodId)
  .min(1)
  .refine((methods) => new Set(methods).size === methods.length, 'each method may be listed once');

/** Spread into regionPolicyShape (schema/region-policy-schema.ts). */
export const signInMethodsShape = {
  // Sign-in methods this region's sign-in page offers, in order: password, email_code, social provider ids.
  signin_methods: signInMethodsSchema.default(['password']),
};

export function isLocalSignInMethod(method: string): method is LocalSignInMethod {
  return (LOCAL_SIGN_IN_METHODS as readonly string[]).includes(method);
}
