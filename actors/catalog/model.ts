/**
 * Catalog rows as Postgres returns them (`sql/0100_catalog.sql`): snake_case columns, money as
 * `numeric` strings (`"25.00"`), instants as `Date`. The HTTP layer maps them to TMF shapes.
 *
 * @module
 */

/** A validity window; `valid_to` is exclusive, a null bound is open. */
export interface Window {
  valid_from: Date | null;
  valid_to: Date | null;
}

/** `catalog.product_offering_price`. */
export interface PriceRow extends Window {
  id: string;
  offering_id: string;
  price_type: "recurring" | "one_time";
  recurring_period_length: number | null;
  recurring_period_type: string | null;
  amount: string;
  currency: string;
}

/** The bundle allowance types and their units (docs/domain.md §1). */
export const ALLOWANCE_UNITS = {
  data: "mb",
  voice: "minutes",
  sms: "count",
  data_roaming: "mb",
} as const;

/** A bundle allowance type. */
export type AllowanceType = keyof typeof ALLOWANCE_UNITS;

/** `catalog.bundle_allowance`; quantity -1 is unlimited. */
export interface AllowanceRow {
  id: string;
  offering_id: string;
  allowance_type: AllowanceType;
  quantity: number;
  unit: (typeof ALLOWANCE_UNITS)[AllowanceType];
}

/** `catalog.product_offering`, with its specification's name. */
export interface OfferingRow extends Window {
  id: string;
  name: string | null;
  spec_id: string | null;
  spec_name: string | null;
  is_bundle: boolean;
  is_sellable: boolean | null;
  lifecycle_status: string | null;
}

/** An offering with every price row and allowance it owns. */
export interface Offering extends OfferingRow {
  prices: PriceRow[];
  allowances: AllowanceRow[];
}

/** `catalog.product_specification`. */
export interface SpecificationRow {
  id: string;
  name: string | null;
  description: string | null;
  brand: string | null;
  lifecycle_status: string | null;
}

/** `catalog.vas_offering`. */
export interface VasRow {
  id: string;
  name: string | null;
  price_amount: string;
  currency: string;
  allowance_type: string | null;
  allowance_quantity: number | null;
  allowance_unit: string | null;
  expiry_hours: number | null;
}

/** `catalog.service_specification`. */
export interface ServiceSpecificationRow {
  id: string;
  name: string | null;
  type: "CFS" | "RFS" | null;
  parameters: Record<string, unknown> | null;
}

/** An offering's decomposition: one CFS and its RFS children, in mapping order. */
export interface ServiceMapping {
  offering_id: string;
  cfs: ServiceSpecificationRow;
  rfs: ServiceSpecificationRow[];
}

/** Promotion states (docs/domain.md §3 "Promotion"). */
export const PROMOTION_STATES = ["pending_link", "active", "retired", "exhausted"] as const;

/** A promotion state. */
export type PromotionState = (typeof PROMOTION_STATES)[number];

/** `catalog.promotion`. */
export interface PromotionRow extends Window {
  id: string;
  name: string | null;
  code: string | null;
  audience: "public" | "targeted";
  offer_definition_id: string | null;
  discount_type: "percent" | "absolute";
  discount_value: string;
  currency: string;
  applicable_offering_ids: string[] | null;
  duration_kind: "single" | "multi" | "perpetual";
  periods_total: number | null;
  state: PromotionState;
  created_by: string;
}
