import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shipped private_key_jwt demo client's public key; its private half is committed in tests/support/keys. */
const SHIPPED_JWT_CLIENT_KEY = /x: M4fLTfU0ybdi0YgVaXyDnzUsai97XCnsU_IfCLV4StY, y: ACZ7vT2a3tdmeRj3LXbNSFdfxTRh_VKmBkkmUiz_EVA/;

/**
 * The shipped idp.config.yaml as an operator would deploy it: the private_key_jwt client on a
 * key of its own (client secrets still come from the environment). Returns the file's path.
 */
export function productionConfigFile(): string {
  const shipped = readFileSync(join(process.cwd(), 'idp.config.yaml'), 'utf8');
  if (!SHIPPED_JWT_CLIENT_KEY.test(shipped)) throw new Error('the shipped demo-service-jwt key changed: update tests/support/production-config.ts');
  const { x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const file = join(mkdtempSync(join(tmpdir(), 'meridian-config-')), 'idp.config.yaml');
  writeFileSync(file, shipped.replace(SHIPPED_JWT_CLIENT_KEY, `x: ${x}, y: ${y}`));
  return file;
}
