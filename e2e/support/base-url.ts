/** Set by the global setup in the runner; workers inherit it when they start. */
export const BASE_URL_ENV = 'MERIDIAN_E2E_BASE_URL';

export function e2eBaseUrl(): string {
  const url = process.env[BASE_URL_ENV];
  if (!url) throw new Error(`${BASE_URL_ENV} is not set: run the journeys with \`npx playwright test\` (the global setup starts the server)`);
  return url;
}
