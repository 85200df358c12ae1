import path from 'node:path';
import { getEnv } from '../../lib/config/env';
import { ConfigError, loadIdpConfig } from '../../lib/config/idp-config';
import type { IdpConfig } from '../../lib/config/idp-config-schema';
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
(e.g. clients.0.supported_regions.0) and exits with code 1.

Options:
  --json   Print {"file", "regions", "clients", "resource_servers"} (codes and ids)`,
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
    if (options.json) {
      io.out(
        JSON.stringify({
          file,
          regions: config.regions.map((r) => r.code),
          clients: config.clients.map((c) => c.client_id),
          resource_servers: config.resource_servers.map((r) => r.identifier),
        }),
      );
      return;
    }
    for (const line of summarize(file, config)) io.out(line);
  },
};

function summarize(file: string, config: IdpConfig): string[] {
  const lines = [`Configuration OK: ${file}`, '', `Regions (${config.regions.length}):`];
  for (const r of config.regions) lines.push(`  ${r.code}  default ${r.default_locale}; locales ${r.locales.join(', ')}`);
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
