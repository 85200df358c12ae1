import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDemoConfig } from './variant-server';

export type RegionDocument = { id: string; version: string };
export type RegionRules = { code: string; steps: string[]; documents: RegionDocument[]; minimumAge: { years: number; below: string } | null };

/** A region's sign-up rules as the demo configuration (idp.config.yaml) declares them. */
export function regionRules(code: string): RegionRules {
  const region = readDemoConfig().regions.find((r) => r.code === code) as
    | { code: string; signup?: { steps?: string[]; documents?: RegionDocument[]; minimum_age?: { years: number; below: string } } }
    | undefined;
  if (!region) throw new Error(`region ${code} is not in idp.config.yaml`);
  return {
    code,
    steps: region.signup?.steps ?? ['email', 'email_code', 'password'],
    documents: region.signup?.documents ?? [],
    minimumAge: region.signup?.minimum_age ?? null,
  };
}

/** The title (first level-1 heading) of a legal document file, as the legal page shows it. */
export function legalDocumentTitle(region: string, documentId: string, version: string, locale: string): string {
  const markdown = readFileSync(join(process.cwd(), 'messages', 'legal', region, documentId, `${version}.${locale}.md`), 'utf8');
  const title = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1];
  if (!title) throw new Error(`no title in ${region}/${documentId}/${version}.${locale}.md`);
  return title;
}

/** YYYY-MM-DD of today (UTC) moved by whole years and days: birth dates relative to now. */
export function isoDateFromToday({ years = 0, days = 0 }: { years?: number; days?: number }): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
