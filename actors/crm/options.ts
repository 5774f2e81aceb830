/**
 * What the CRM depends on that it does not own: the subscription count behind the customer
 * close rule (the subscription service provides it) and the KYC switches and corroboration
 * store (the integrations side provides it). Every field has a default.
 *
 * @module
 */

/** A KYC provider's webhook verdict on a verification session. */
export interface KycCorroboration {
  id: string;
  provider: string;
  /** `Approved | Declined | Expired | In Review`. */
  decisionStatus: string;
  receivedAt: Date;
}

/** Options of the CRM domain. */
export interface CrmOptions {
  /**
   * How many `active|pending` subscriptions the customer has. Default: none — no
   * subscription service is wired yet, so every customer counts as having none.
   */
  liveSubscriptionCount?: (customerId: string) => Promise<number>;
  /**
   * Whether non-didit attestations carrying a `signature` are accepted (docs/http.md §12
   * `BSS_KYC_ALLOW_PREBAKED`). Default: on, except when `BSS_ENV` is `production`.
   */
  allowPrebakedKyc?: boolean;
  /**
   * Sandbox document reuse (`BSS_KYC_ALLOW_DOC_REUSE`): an identity document already attested
   * for another customer is re-linked instead of refused. Default: off.
   */
  kycDocReuse?: boolean;
  /**
   * Looks up a KYC webhook corroboration by id. Default: no corroboration store, so no
   * didit attestation can be corroborated (they are all refused).
   */
  findKycCorroboration?: (id: string) => Promise<KycCorroboration | undefined>;
}

/** The default subscription count: no subscription service wired, so none. */
export const noLiveSubscriptions = (): Promise<number> => Promise.resolve(0);

/** The default corroboration store: empty. */
export const noCorroborations = (): Promise<KycCorroboration | undefined> =>
  Promise.resolve(undefined);
