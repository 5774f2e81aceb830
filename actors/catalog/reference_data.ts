/**
 * The catalog's reference data (docs/domain.md §5), exactly: one product specification, the three
 * plans with their monthly prices and bundle allowances, the four VAS, the CFS/RFS service
 * specifications, and the plan → service mapping decomposition follows.
 *
 * @module
 */
import type { AllowanceType, ServiceSpecificationRow, SpecificationRow, VasRow } from "./model.ts";

/** The product specification every plan refers to. */
export const MOBILE_PREPAID: SpecificationRow = {
  id: "SPEC_MOBILE_PREPAID",
  name: "Mobile Prepaid Bundle",
  description: "Bundled prepaid mobile plan",
  brand: "BSS-CLI",
  lifecycle_status: "active",
};

/** A seeded plan: a sellable, active, unwindowed bundle with one monthly SGD price. */
export interface Plan {
  id: string;
  name: string;
  priceId: string;
  amount: string;
  /** Allowance id suffix letter: `BA_<letter>_DATA` … */
  letter: string;
  allowances: Record<AllowanceType, number>;
}

/** PLAN_S, PLAN_M, PLAN_L. Quantities in mb / minutes / count; -1 is unlimited. */
export const PLANS: readonly Plan[] = [
  {
    id: "PLAN_S",
    name: "Lite",
    priceId: "PRICE_PLAN_S",
    amount: "10.00",
    letter: "S",
    allowances: { data: 5120, voice: 100, sms: 100, data_roaming: 0 },
  },
  {
    id: "PLAN_M",
    name: "Standard",
    priceId: "PRICE_PLAN_M",
    amount: "25.00",
    letter: "M",
    allowances: { data: 30720, voice: -1, sms: -1, data_roaming: 500 },
  },
  {
    id: "PLAN_L",
    name: "Max",
    priceId: "PRICE_PLAN_L",
    amount: "45.00",
    letter: "L",
    allowances: { data: 153600, voice: -1, sms: -1, data_roaming: 2048 },
  },
];

/** The allowance id suffix of each type (`BA_S_ROAM`, `BA_PLAN_X_ROAM`). */
export const ALLOWANCE_SUFFIX: Record<AllowanceType, string> = {
  data: "DATA",
  voice: "VOICE",
  sms: "SMS",
  data_roaming: "ROAM",
};

/** The four VAS offerings. */
export const VAS: readonly VasRow[] = [
  vas("VAS_DATA_1GB", "Data Top-Up 1GB", "3.00", "data", 1024, null),
  vas("VAS_DATA_5GB", "Data Top-Up 5GB", "12.00", "data", 5120, null),
  vas("VAS_UNLIMITED_DAY", "Unlimited Data Day Pass", "5.00", "data", -1, 24),
  vas("VAS_ROAMING_1GB", "Roaming Data 1GB", "8.00", "data_roaming", 1024, null),
];

function vas(
  id: string,
  name: string,
  price: string,
  type: AllowanceType,
  mb: number,
  expiryHours: number | null,
): VasRow {
  return {
    id,
    name,
    price_amount: price,
    currency: "SGD",
    allowance_type: type,
    allowance_quantity: mb,
    allowance_unit: "mb",
    expiry_hours: expiryHours,
  };
}

/** The customer-facing service every plan decomposes into. */
export const CFS_MOBILE_BROADBAND: ServiceSpecificationRow = {
  id: "SSPEC_CFS_MOBILE_BROADBAND",
  name: "Mobile Broadband CFS",
  type: "CFS",
  parameters: {},
};

/** Its resource-facing children, in mapping order. */
export const RFS_BEARERS: readonly ServiceSpecificationRow[] = [
  { id: "SSPEC_RFS_DATA_BEARER", name: "Data Bearer RFS", type: "RFS", parameters: {} },
  { id: "SSPEC_RFS_VOICE_BEARER", name: "Voice Bearer RFS", type: "RFS", parameters: {} },
];
