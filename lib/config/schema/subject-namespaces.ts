/**
 * Where a client's or resource server's `sub` values come from. Rules:
 * 1. `public`: the account id, the same for everyone;
 * 2. `pairwise`: an identifier per sector; the sector is `sector_identifier` when declared;
 * 3. else, for a client, the one host of its redirect_uris (several hosts, custom schemes or no
 *    redirect_uris: a config error, declare `sector_identifier`);
 * 4. else, for a resource server, the host of its identifier.
 * Sectors are never fetched (no sector_identifier_uri): the config is the only source.
 */

import type { SubjectNamespace } from '../../domain/pairwise/pairwise-subjects';

export type { SubjectNamespace };

export type SectorResult = { ok: true; sector: string } | { ok: false; message: string };

type ClientLike = { subject_type: 'public' | 'pairwise'; sector_identifier?: string | undefined; redirect_uris: string[] };
type ResourceServerLike = { identifier: string; subject_type: 'public' | 'pairwise'; sector_identifier?: string | undefined };

function hostOf(uri: string): string | undefined {
  try {
    return new URL(uri).host || undefined;
  } catch {
    return undefined;
  }
}

export function clientSector(c: ClientLike): SectorResult {
  if (c.sector_identifier) return { ok: true, sector: c.sector_identifier };
  if (c.redirect_uris.length === 0) return { ok: false, message: 'required for a pairwise client without redirect_uris' };
  const hosts = new Set(c.redirect_uris.map(hostOf));
  const [only] = hosts;
  if (hosts.size === 1 && only) return { ok: true, sector: only };
  return { ok: false, message: 'required: the redirect_uris do not share one host' };
}

export function resourceServerSector(rs: ResourceServerLike): SectorResult {
  if (rs.sector_identifier) return { ok: true, sector: rs.sector_identifier };
  const host = hostOf(rs.identifier);
  return host ? { ok: true, sector: host } : { ok: false, message: 'required: the identifier has no host' };
}

/** The namespace of a client, or undefined when its sector cannot be determined (config error). */
export function clientNamespace(c: ClientLike): SubjectNamespace | undefined {
  if (c.subject_type === 'public') return { kind: 'public' };
  const s = clientSector(c);
  return s.ok ? { kind: 'pairwise', sector: s.sector } : undefined;
}

export function resourceServerNamespace(rs: ResourceServerLike): SubjectNamespace | undefined {
  if (rs.subject_type === 'public') return { kind: 'public' };
  const s = resourceServerSector(rs);
  return s.ok ? { kind: 'pairwise', sector: s.sector } : undefined;
}
