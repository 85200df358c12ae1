import { existsSync } from 'node:fs';
import type { IdpConfig } from '../../config/idp-config-schema';
import { STEP_MESSAGE_IDS } from '../../domain/flows/sign-up-steps';
import { MESSAGES } from '../../i18n/messages';
import type { SupportedLocale } from '../../i18n/locales';
import { legalDocumentPath } from './legal-document-files';

/**
 * What a region needs besides its config entry, in EACH of its locales (issue 3: adding a region
 * is a config entry plus its documents and messages):
 * 1. the current version of each of its documents: messages/legal/<REGION>/<id>/<version>.<locale>.md;
 * 2. its name (region.names.<CODE>), each document's name and checkbox label
 *    (legal.documents.<id>, legal.accept.<id>), and the messages of each of its sign-up steps.
 */
export type RegionContentProblem = { region: string; locale: string; kind: 'document' | 'message'; missing: string };

function hasMessage(locale: SupportedLocale, id: string): boolean {
  let node: unknown = MESSAGES[locale];
  for (const part of id.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

export function checkRegionContent(
  config: Pick<IdpConfig, 'regions'>,
  options: { root?: string; fileExists?: (file: string) => boolean; hasMessage?: (locale: SupportedLocale, id: string) => boolean } = {},
): RegionContentProblem[] {
  const exists = options.fileExists ?? existsSync;
  const message = options.hasMessage ?? hasMessage;
  const problems: RegionContentProblem[] = [];
  for (const region of config.regions) {
    const ids = new Set<string>([`region.names.${region.code}`, ...STEP_MESSAGE_IDS.region]);
    for (const step of region.signup.steps) STEP_MESSAGE_IDS[step].forEach((id) => ids.add(id));
    for (const doc of region.signup.documents) {
      ids.add(`legal.documents.${doc.id}`);
      ids.add(`legal.accept.${doc.id}`);
    }
    for (const locale of region.locales) {
      for (const doc of region.signup.documents) {
        const file = legalDocumentPath(region.code, doc.id, doc.version, locale, options.root);
        if (!file || !exists(file)) {
          problems.push({ region: region.code, locale, kind: 'document', missing: `messages/legal/${region.code}/${doc.id}/${doc.version}.${locale}.md` });
        }
      }
      for (const id of ids) if (!message(locale, id)) problems.push({ region: region.code, locale, kind: 'message', missing: id });
    }
  }
  return problems;
}
