import path from 'node:path';
import { getEnv } from '../../lib/config/env';
import { ConfigError, loadIdpConfig } from '../../lib/config/idp-config';
import type { IdpConfig } from '../../lib/config/idp-config-schema';
import { checkStartup, StartupError } from '../../lib/config/startup-check';
import { CliFailure } from './cli-io';
import type { Command } from './command';
import { parseOptions } from './parse-options';

const NAME = 'config check';

export const configCheckCommand: Command = {
  name: NAME,
  summary: 'Validate the configuration file (IDP_CONFIG) and summarize it',
  help: `Usage: npm run idp -- config check [--json]

Loads and validates the configuration file named by IDP_CONFIG (default ./idp.config.yaml),
with \${NAME} references filled from the environment, exactly as the server does at start.
Prints a short summary; on an invalid file, prints each problem with the key it concerns
(e.g. clients.0.supported_regions.0) and exits with code 1. With NODE_ENV=production, also
refuses known or weak secrets as a production start does.

Then checks each region's content in every one of its locales: the current version of each of
its documents (messages/legal/<REGION>/<document>/<version>.<locale>.md) and the messages its
sign-up steps show (messages/<locale>.json). Any missing one is listed and the exit code is 1.

Options:
  --json   Print {"file", "regions", "clients", "resource_servers", "problems"} (codes and ids)`,
  async run(args, io) {
    const options = parseOptions(NAME, args, { json: { type: 'boolean' } });
    const file = path.resolve(getEnv().idpConfigPath);
    let config: IdpConfig;
    try {
      config = loadIdpConfig(file);
    } catch (e) {
      // The message already starts with the file name and names each bad key.
      if (e instanceof ConfigError) throw new CliFailure(e.message);
      throw e;
    }
    try {
      for (const warning of checkStartup().warnings) io.err(`warning: ${warning}`);
    } catch (e) {
      if (e instanceof StartupError) throw new CliFailure(e.message);
      throw e;
    }
    const { checkRegionContent } = await import('../../lib/infra/legal/region-content-check');
    const problems = checkRegionContent(config);
    if (options.json) {
      io.out(
        JSON.stringify({
          file,
          regions: config.regions.map((r) => r.code),
          clients: config.clients.map((c) => c.client_id),
          resource_servers: config.resource_servers.map((r) => r.identifier),
          problems,
        }),
      );
    } else {
      for (const line of summarize(file, config)) io.out(line);
    }
    if (problems.length > 0) {
      const lines = problems.map((p) => `  ${p.region} (${p.locale}): missing ${p.kind} ${p.missing}`);
      throw new CliFailure(`${file}: ${problems.length} region content problem(s):\n${lines.join('\n')}`);
    }
  },
};

function summarize(file: string, config: IdpConfig): string[] {
  const lines = [`Configuration OK: ${file}`, '', `Regions (${config.regions.length}):`];
  for (const r of config.regions) {
    const age = r.signup.minimum_age ? `; minimum age ${r.signup.minimum_age.years} (${r.signup.minimum_age.below})` : '';
    const docs = r.signup.documents.map((d) => `${d.id}@${d.version}`).join(', ') || 'none';
    lines.push(
      `  ${r.code}  default ${r.default_locale}; locales ${r.locales.join(', ')}; sign-in ${r.signin_methods.join(', ')}; sign-up ${r.signup.steps.join(' → ')}${age}; documents ${docs}; marketing ${r.signup.marketing}`,
    );
  }
  lines.push('', `Social providers (${config.social_providers.length}):`);
  for (const p of config.social_providers) {
    // Not an error: the demo runs without credentials; the sign-in page just hides the button.
    const state = p.clientId ? `client ${p.clientId}` : 'not configured (no client id): hidden on sign-in pages';
    lines.push(`  ${p.id}  ${p.issuer}; ${state}`);
  }
  lines.push('', `Clients (${config.clients.length}):`);
  const idWidth = Math.max(0, ...config.clients.map((c) => c.client_id.length));
  for (const c of config.clients) {
    const kind = [
      c.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
      c.first_party ? 'first-party' : 'third-party (consent)',
      c.application_type,
    ].join(', ');
    lines.push(`  ${c.client_id.padEnd(idWidth)}  ${kind}; grants ${c.grant_types.join(', ')}; regions ${c.supported_regions.join(', ')}`);
  }
  lines.push('', `Resource servers (${config.resource_servers.length}):`);
  for (const rs of config.resource_servers) {
    lines.push(`  ${rs.identifier}  ${rs.name}; scopes ${Object.keys(rs.scopes).join(', ')}; regions ${rs.regions.join(', ')}`);
  }
  return lines;
}
