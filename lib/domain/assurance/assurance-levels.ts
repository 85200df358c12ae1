/** acr values we issue (shared/design.md §3). */
export const ACR = {
  aal1: 'urn:meridian:aal1',
  aal2: 'urn:meridian:aal2',
  aal2Phr: 'urn:meridian:aal2:phr',
} as const;

export const ACR_VALUES_SUPPORTED = [ACR.aal1, ACR.aal2, ACR.aal2Phr];

/**
 * RFC 8176 authentication method reference values, plus `fed`: signed in at an upstream
 * (social) provider. RFC 8176 registers no value for federation; `fed` is the one in common use.
 */
export type Amr = 'pwd' | 'otp' | 'sms' | 'hwk' | 'swk' | 'user' | 'mfa' | 'pop' | 'fed';
