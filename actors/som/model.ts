/**
 * The service order's vocabulary (docs/domain.md §3 "Service order", "Service", "Decomposition"):
 * states and transitions, the four provisioning tasks, the CFS characteristics and the rows.
 *
 * @module
 */

/**
 * Service order states. `cancelled`: the commercial order was cancelled before SOM started;
 * `acknowledged → failed`: no line could be reserved.
 */
export const SERVICE_ORDER_STATES = [
  "acknowledged",
  "in_progress",
  "completed",
  "failed",
  "cancelled",
] as const;

/** A service order state. */
export type ServiceOrderState = typeof SERVICE_ORDER_STATES[number];

/** Where each service order state may go. */
export const SERVICE_ORDER_TRANSITIONS: Record<ServiceOrderState, readonly ServiceOrderState[]> = {
  acknowledged: ["in_progress", "failed", "cancelled"],
  in_progress: ["completed", "failed"],
  completed: [],
  failed: [],
  cancelled: [],
};

/** Service (CFS/RFS) states; `feasibility_checked` is only the column default. */
export const SERVICE_STATES = [
  "feasibility_checked",
  "designed",
  "reserved",
  "activated",
  "failed",
  "terminated",
] as const;

/** A service state. */
export type ServiceState = typeof SERVICE_STATES[number];

/** Where each service state may go. */
export const SERVICE_TRANSITIONS: Record<ServiceState, readonly ServiceState[]> = {
  feasibility_checked: ["designed"],
  designed: ["reserved", "failed"],
  reserved: ["activated", "failed"],
  activated: ["terminated"],
  failed: [],
  terminated: [],
};

/** The provisioning tasks of a new line, run in parallel; completion is a set check. */
export const TASK_TYPES = [
  "HLR_PROVISION",
  "PCRF_POLICY_PUSH",
  "OCS_BALANCE_INIT",
  "ESIM_PROFILE_PREPARE",
] as const;

/** A provisioning task type. */
export type TaskType = typeof TASK_TYPES[number];

/** Where a task stands, as SOM tracks it. */
export type TaskStatus = "pending" | "completed" | "failed" | "stuck";

/** The price snapshot riding the pipeline. */
export interface PriceSnapshot {
  priceAmount: string;
  priceCurrency: string;
  priceOfferingPriceId: string;
}

/** What the CFS carries: the order's inputs, then its line and task progress. */
export interface CfsCharacteristics {
  commercialOrderId: string;
  customerId: string;
  offeringId: string;
  paymentMethodId: string | null;
  msisdnPreference: string | null;
  priceSnapshot: PriceSnapshot | null;
  msisdn?: string;
  iccid?: string;
  imsi?: string;
  activationCode?: string | null;
  pendingTasks?: Record<string, TaskStatus>;
}

/** A service order as stored. */
export interface ServiceOrderRow {
  id: string;
  commercial_order_id: string;
  state: ServiceOrderState;
  started_at: Date | null;
  completed_at: Date | null;
  state_reason: string | null;
}

/** A service order item as stored. */
export interface ServiceOrderItemRow {
  id: string;
  service_order_id: string;
  action: string;
  service_spec_id: string;
  target_service_id: string | null;
}

/** A service as stored. */
export interface ServiceRow {
  id: string;
  service_order_id: string;
  subscription_id: string | null;
  spec_id: string;
  type: "CFS" | "RFS";
  parent_service_id: string | null;
  state: ServiceState;
  characteristics: Record<string, unknown>;
  activated_at: Date | null;
  terminated_at: Date | null;
}
