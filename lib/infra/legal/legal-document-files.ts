import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getIdpConfig } from '../../config/idp-config';
import { loadLegalDocument, type LegalDocument, type LegalDocumentSource } from '../../domain/terms/legal-documents';

/** Where documents live: messages/legal/<REGION>/<document>/<version>.<locale>.md (under the working directory). */
export const LEGAL_DIR = path.join('messages', 'legal');

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function legalDocumentPath(region: string, documentId: string, version: string, locale: string, root: string = process.cwd()): string | null {
  if (![region, documentId, version, locale].every((part) => SAFE.test(part) && !part.includes('..'))) return null;
  return path.join(root, LEGAL_DIR, region, documentId, `${version}.${locale}.md`);
}

const cache = new Map<string, Promise<string | null>>();

/** Reads documents from disk once per process (they change only with a deployment). */
export const fileLegalDocumentSource: LegalDocumentSource = {
  read(region, documentId, version, locale) {
    const file = legalDocumentPath(region, documentId, version, locale);
    if (!file) return Promise.resolve(null);
    let text = cache.get(file);
    if (!text) {
      text = readFile(file, 'utf8').catch(() => null);
      cache.set(file, text);
    }
    return text;
  },
};

/**
 * A region's document for the legal page: the given version, or the current one from
 * idp.config.yaml; in `locale`, else in the region's default locale. Null when the region, the
 * document or the file does not exist.
 */
export async function findLegalDocument(input: { region: string; documentId: string; locale: string; version?: string | null }): Promise<LegalDocument | null> {
  const region = getIdpConfig().regions.find((r) => r.code === input.region.toUpperCase());
  if (!region) return null;
  const current = region.signup.documents.find((d) => d.id === input.documentId);
  const version = input.version ?? current?.version;
  if (!version) return null;
  const locale = region.locales.includes(input.locale as never) ? input.locale : region.default_locale;
  return loadLegalDocument(fileLegalDocumentSource, { region: region.code, documentId: input.documentId, version, locale, fallbackLocale: region.default_locale });
}
