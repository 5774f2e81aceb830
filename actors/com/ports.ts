/**
 * What COM needs from other services, as plain functions: the HTTP wiring lives in
 * `http/com/ports.ts`, tests may pass their own. Each answers with facts; the rules that
 * judge them are in `policies.ts`.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { PriceSnapshot } from "./model.ts";

/** A customer as COM's create rules see it. */
export interface CustomerFacts {
  status: string;
  kycStatus: string;
}

/** An offering as COM's create rules see it. */
export interface OfferingFacts {
  isSellable: boolean | null;
  lifecycleStatus: string | null;
  validFrom: Date | null;
  validTo: Date | null;
}

/** A service order of a commercial order, as SOM reports it. */
export interface ServiceOrderFacts {
  id: string;
  state: string;
}

/** What the order asks the subscription service to charge and activate. */
export interface SubscriptionRequest {
  /** Fixed by the order before anything is charged or bound. */
  subscriptionId: string;
  customerId: string;
  offeringId: string;
  msisdn: string;
  iccid: string;
  paymentMethodId: string;
  commercialOrderId: string;
  priceSnapshot: PriceSnapshot;
  cfsServiceId: string | null;
  serviceOrderId: string | null;
}

/**
 * Asks the subscription service to charge and activate, by a message that commits with the
 * order's turn (so it is sent exactly when the turn's other effects are). The answer comes
 * back to the order as `subscription_activated` or `subscription_refused`.
 */
export type RequestSubscription = (turn: Turn, request: SubscriptionRequest) => void;

/** COM's outside dependencies. */
export interface ComPorts {
  /** The customer, or null when CRM does not know it. */
  customer(customerId: string): Promise<CustomerFacts | null>;
  /** The offering, or null when the catalog does not know it. */
  offering(offeringId: string): Promise<OfferingFacts | null>;
  /** The offering's active recurring price now, or null when it has none. */
  activePrice(offeringId: string): Promise<PriceSnapshot | null>;
  /** The customer's active payment method ids: the default first, then newest first. */
  activePaymentMethods(customerId: string): Promise<string[]>;
  /**
   * Asks SOM to stop the commercial order's service order unless it has started (SOM
   * decides in the service order's own turn, so no start slips past), then reports its
   * service orders: `cancelled` when stopped.
   */
  stopServiceOrders(commercialOrderId: string): Promise<ServiceOrderFacts[]>;
  /** Puts a reserved MSISDN and eSIM back in the pool; already-free ones are skipped. */
  releaseLine(line: { msisdn: string; iccid: string }): Promise<void>;
  requestSubscription: RequestSubscription;
}
