/**
 * What the subscription domain needs from other services, as plain facts and verbs: CRM for
 * the customer and the inventory, catalog for offerings, prices and VAS, payment for cards,
 * charges and refunds. The HTTP wiring lives in `http/subscription/ports.ts`; tests may pass
 * their own. The rules that judge these facts are in `policies.ts`.
 *
 * @module
 */

/** An allowance of a plan. */
export interface Allowance {
  allowanceType: string;
  quantity: number;
  unit: string;
}

/** A price row as the subscription keeps it. */
export interface Price {
  id: string;
  amount: string;
  currency: string;
}

/** A VAS offering as a purchase sees it. */
export interface VasFacts {
  id: string;
  priceAmount: string;
  currency: string;
  allowanceType: string | null;
  allowanceQuantity: number | null;
  allowanceUnit: string | null;
  expiryHours: number | null;
}

/** A charge request; `idempotencyKey` names the business operation. */
export interface ChargeRequest {
  customerId: string;
  paymentMethodId: string;
  amount: string;
  currency: string;
  purpose: "activation" | "renewal" | "vas";
  idempotencyKey: string;
}

/** A charge attempt as payment recorded it. */
export interface ChargeFacts {
  id: string;
  status: "approved" | "declined" | "errored" | "refunded";
  amount: string;
  declineCode: string | null;
  declineReason: string | null;
}

/** A number in the pool: its status and the subscription it is assigned to. */
export interface MsisdnFacts {
  status: string;
  subscriptionId: string | null;
}

/** An eSIM profile: its state and the subscription it is activated for. */
export interface EsimFacts {
  profileState: string;
  subscriptionId: string | null;
}

/** A line: a number and its profile. */
export interface Line {
  msisdn: string;
  iccid: string;
}

/** The subscription domain's outside dependencies. */
export interface SubscriptionPorts {
  /** The customer's status, or null when CRM does not know them. */
  customerStatus(customerId: string): Promise<string | null>;
  /** An offering's bundle, or null when the catalog does not know it. */
  offeringAllowances(offeringId: string): Promise<Allowance[] | null>;
  /** The offering's active recurring price now, or null when it has none. */
  activePrice(offeringId: string): Promise<Price | null>;
  /** A price row by id (whatever its window), or null. */
  priceById(priceId: string): Promise<Price | null>;
  /** The price rows of an offering (any window), or null when the offering is unknown. */
  offeringPrices(offeringId: string): Promise<Price[] | null>;
  /** Whether the offering is on sale at `at`. */
  sellableAt(offeringId: string, at: Date): Promise<boolean>;
  /** A VAS offering, or null. */
  vasOffering(id: string): Promise<VasFacts | null>;
  /** The customer's default card, else the newest active one, else null. */
  chargeableMethod(customerId: string): Promise<string | null>;
  /** Charges a card on file; a decline is a result, not an error. */
  charge(request: ChargeRequest): Promise<ChargeFacts>;
  /** Refunds the approved charge made under `idempotencyKey`; null when none was made. */
  refund(idempotencyKey: string, reason: string): Promise<ChargeFacts | null>;
  /** A number's pool facts, or null when it is not in the pool. */
  msisdn(msisdn: string): Promise<MsisdnFacts | null>;
  /** A profile's facts, or null when it is unknown. */
  esim(iccid: string): Promise<EsimFacts | null>;
  /**
   * Binds the line to the subscription: number assigned, profile linked and driven to
   * activated; steps already done are skipped, so a re-run resumes. Answers the LPA
   * activation code. A refusal (the line taken by someone else) is a PolicyViolation.
   */
  bindLine(line: Line & { subscriptionId: string }): Promise<string | null>;
  /**
   * Gives back the line of `subscriptionId`'s activation that did not happen: a reserved
   * number and profile to the pool; bound ones released (the number) and recycled (the
   * profile). Answers what it did, e.g. `["msisdn released", "esim recycled"]`; already-free
   * items, and items bound to another subscription (a create that named a live line's number
   * or eSIM), are left as they are.
   */
  returnLine(line: Line & { subscriptionId: string }): Promise<string[]>;
  /** Frees a terminated line: the MSISDN to quarantine (unless kept), the eSIM recycled. */
  freeLine(line: Line & { releaseMsisdn: boolean }): Promise<void>;
}
