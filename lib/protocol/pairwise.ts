import type { IdpConfig } from '../config/idp-config-schema';
import { clientNamespace, resourceServerNamespace } from '../config/schema/subject-namespaces';
import { PairwiseSubjects, type PairwiseSubjectStore, type SubjectNamespace } from '../domain/pairwise/pairwise-subjects';

/**
 * Subject identifiers as each party knows them. Every client and every resource server has a
 * namespace (public: the account id; pairwise: a PPID for its sector, see
 * lib/config/schema/subject-namespaces.ts). oidc-provider asks for clients' PPIDs through
 * `pairwiseIdentifier`; JWT access tokens carry the subject as their resource server knows it.
 */
export type PairwiseRuntime = {
  subjects: PairwiseSubjects;
  clientNamespace(clientId: string): SubjectNamespace | undefined;
  resourceServerNamespace(identifier: string): SubjectNamespace | undefined;
  /** A client id, else a resource server identifier (PPID conversion sources). */
  namespaceOf(id: string): SubjectNamespace | undefined;
  /** oidc-provider's `pairwiseIdentifier` for a pairwise client. */
  pairwiseIdentifier(accountId: string, clientId: string): Promise<string>;
  /** `sub` of a JWT access token for an account: the resource server's view of it. */
  accessTokenSubject(accountId: string, audience: string): Promise<string | undefined>;
};

export function createPairwiseRuntime(idp: IdpConfig, salt: string, store: PairwiseSubjectStore): PairwiseRuntime {
  const subjects = new PairwiseSubjects({ salt, store });
  const clients = new Map<string, SubjectNamespace | undefined>(idp.clients.map((c) => [c.client_id, clientNamespace(c)]));
  const resourceServers = new Map<string, SubjectNamespace | undefined>(idp.resource_servers.map((rs) => [rs.identifier, resourceServerNamespace(rs)]));
  return {
    subjects,
    clientNamespace: (clientId) => clients.get(clientId),
    resourceServerNamespace: (identifier) => resourceServers.get(identifier),
    namespaceOf: (id) => clients.get(id) ?? resourceServers.get(id),
    async pairwiseIdentifier(accountId, clientId) {
      const ns = clients.get(clientId);
      if (ns?.kind !== 'pairwise') throw new Error(`pairwiseIdentifier: client ${clientId} has no pairwise sector`);
      return subjects.pairwiseSubject(ns.sector, accountId);
    },
    async accessTokenSubject(accountId, audience) {
      const ns = resourceServers.get(audience);
      return ns ? subjects.subjectFor(ns, accountId) : undefined;
    },
  };
}
