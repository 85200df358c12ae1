/** The demo relying party's client_name in idp.config.yaml, shown on the sign-in and logout pages. */
export const DEMO_CLIENT_NAME = 'Meridian demo web app';

/** Its client_id. */
export const DEMO_CLIENT_ID = 'demo-web';
