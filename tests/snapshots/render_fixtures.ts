/**
 * Deterministic wire data for the card tests, and a tiny snapshot matcher: each snapshot is a
 * text file beside this module; `UPDATE_SNAPSHOTS=1` rewrites them.
 *
 * @module
 */
import assert from "node:assert/strict";
import type {
  Case,
  Customer,
  Interaction,
  Msisdn,
  Offering,
  Order,
  PortRequest,
  Service,
  ServiceOrder,
  Subscription,
  Task,
  Ticket,
  VasOffering,
} from "../../cockpit/render/wire.ts";

const DIR = new URL("./", import.meta.url);

/** Compares `text` with snapshot `name` (or writes it when UPDATE_SNAPSHOTS is set). */
export async function matchSnapshot(name: string, text: string): Promise<void> {
  const file = new URL(`${name}.txt`, DIR);
  if (Deno.env.get("UPDATE_SNAPSHOTS")) {
    await Deno.writeTextFile(file, text + "\n");
    return;
  }
  const expected = await Deno.readTextFile(file);
  assert.equal(text + "\n", expected, `snapshot ${name} differs (UPDATE_SNAPSHOTS=1 to accept)`);
}

/** A verified customer with a wide-character family name. */
export const customer: Customer = {
  "@type": "Customer",
  id: "CUST-0a1b2c3d",
  href: "/tmf-api/customerManagement/v4/customer/CUST-0a1b2c3d",
  name: "Mei Tan 陈美",
  status: "active",
  statusReason: null,
  kycStatus: "verified",
  customerSince: "2026-01-12T08:00:00.000Z",
  engagedParty: { id: "IND-1", "@referredType": "Individual", name: "Mei Tan 陈美" },
  individual: { givenName: "Mei", familyName: "Tan 陈美", dateOfBirth: "1990-04-01" },
  contactMedium: [
    {
      "@type": "ContactMedium",
      id: "CM-1",
      mediumType: "email",
      value: "mei.tan@example.net",
      isPrimary: true,
      preferred: true,
      characteristic: {},
    },
    {
      "@type": "ContactMedium",
      id: "CM-2",
      mediumType: "mobile",
      value: "+6591112222",
      isPrimary: false,
      preferred: false,
      characteristic: {},
    },
  ] as Customer["contactMedium"],
};

function balance(
  subscriptionId: string,
  allowanceType: Subscription["balances"][number]["allowanceType"],
  total: number,
  consumed: number,
  unit: string,
): Subscription["balances"][number] {
  return {
    id: `BAL-${subscriptionId}-${allowanceType}`,
    subscriptionId,
    allowanceType,
    total,
    consumed,
    remaining: total < 0 ? -1 : total - consumed,
    unit,
    periodStart: "2026-05-20T00:00:00.000Z",
    periodEnd: "2026-06-19T00:00:00.000Z",
  };
}

/** An active line a quarter into its data bundle, with unlimited voice. */
export const subscription: Subscription = {
  atType: "Subscription",
  id: "SUB-0412",
  href: "/subscription-api/v1/subscription/SUB-0412",
  customerId: customer.id,
  offeringId: "PLAN_S",
  msisdn: "91234567",
  iccid: "8965012345678900777",
  cfsServiceId: "SVC-0900",
  state: "active",
  stateReason: null,
  activatedAt: "2026-05-20T00:00:00.000Z",
  currentPeriodStart: "2026-05-20T00:00:00.000Z",
  currentPeriodEnd: "2026-06-19T00:00:00.000Z",
  nextRenewalAt: "2026-06-19T00:00:00.000Z",
  terminatedAt: null,
  balances: [
    balance("SUB-0412", "data", 4096, 1024, "mb"),
    balance("SUB-0412", "sms", 100, 30, "count"),
    balance("SUB-0412", "voice", -1, 12, "minutes"),
    balance("SUB-0412", "data_roaming", 500, 500, "mb"),
  ],
  priceAmount: "10.00",
  priceCurrency: "SGD",
  priceOfferingPriceId: "PRICE_PLAN_S",
  pendingOfferingId: null,
  pendingOfferingPriceId: null,
  pendingEffectiveAt: null,
  discountType: null,
  discountValue: null,
  discountPeriodsRemaining: 0,
  effectiveAmount: "10.00",
  promoCode: null,
  promoOfferDefinitionId: null,
  activationCode: "LPA:1$smdp.example.test$ZX-42",
  qrPayload: null,
};

/** The same customer's second line, blocked on an exhausted bundle. */
export const blockedSubscription: Subscription = {
  ...subscription,
  id: "SUB-0413",
  offeringId: "PLAN_L",
  msisdn: "91234568",
  state: "blocked",
  stateReason: "bundle_exhausted",
  balances: [balance("SUB-0413", "data", 30720, 30720, "mb")],
};

/** An open case with a ticket, and a closed one. */
export const openCase: Case = {
  id: "CASE-0091",
  customer_id: customer.id,
  subject: "Roaming not attaching in Kuala Lumpur since the upgrade last week",
  description: null,
  state: "open",
  priority: "medium",
  category: "technical",
  escalation_category: null,
  resolution_code: null,
  opened_by_agent_id: "AGT-002",
  opened_at: "2026-06-01T09:15:00.000Z",
  closed_at: null,
  notes: [{
    id: "NOTE-1",
    case_id: "CASE-0091",
    author_agent_id: "AGT-002",
    body: "Asked customer to toggle data roaming and restart the handset; will follow up.",
    created_at: "2026-06-01T09:20:00.000Z",
  }],
  ticket_ids: ["TKT-0031"],
  chat_transcript_hash: null,
} as Case;

/** A case the customer chat escalated: what the customer said, a note from the CLI. */
export const escalatedCase: Case = {
  ...openCase,
  id: "CASE-0092",
  subject: "Customer disputes a charge",
  description: "[billing_dispute] The customer does not recognise the SGD 25.00 charge of " +
    "1 June on the card ending 4242 and asked for a person to look at it before paying again.",
  category: "billing",
  escalation_category: "billing_dispute",
  opened_by_agent_id: null,
  notes: [{
    ...openCase.notes[0],
    author_agent_id: null,
    body: "Called back; it was the renewal.",
  }],
  ticket_ids: [],
  chat_transcript_hash: "ada0e4d955d4224de9bc782bf6d78ffa02589978f0f56abb0176f62a7fcc2a28",
};

/** The chat the escalated case came from, as `case.show_transcript_for` answers it. */
export const transcript = {
  transcript: "user:\nWhat is this SGD 25 charge?\n\nassistant:\nIt is the renewal of " +
    "PLAN_M on 1 June, charged to the card ending 4242.\n\nuser:\nI want to dispute a charge",
  customerId: customer.id,
  recordedAt: "2026-06-01T09:14:00.000Z",
};

/** A resolved case (counted, not listed, on the 360). */
export const closedCase: Case = {
  ...openCase,
  id: "CASE-0080",
  subject: "Billing question",
  state: "closed",
  closed_at: "2026-05-02T10:00:00.000Z",
  resolution_code: "resolved",
  notes: [],
  ticket_ids: [],
};

/** The open case's ticket. */
export const ticket: Ticket = {
  "@type": "TroubleTicket",
  id: "TKT-0031",
  href: "/tmf-api/troubleTicket/v4/troubleTicket/TKT-0031",
  ticketType: "service_outage",
  subject: "No data abroad",
  description: null,
  state: "acknowledged",
  priority: "medium",
  customerId: customer.id,
  caseId: "CASE-0091",
  assignedToAgentId: "AGT-002",
  relatedOrderId: null,
  relatedSubscriptionId: "SUB-0412",
  relatedServiceId: null,
  slaDueAt: "2026-06-02T09:15:00.000Z",
  resolutionNotes: null,
  openedAt: "2026-06-01T09:16:00.000Z",
  resolvedAt: null,
  closedAt: null,
  stateHistory: [],
} as Ticket;

/** A resolved ticket with what it was about and how it got there. */
export const resolvedTicket = {
  ...ticket,
  id: "TKT-0032",
  description: "The customer's phone deleted the eSIM profile after a factory reset; the SM-DP+ " +
    "must release it before it can be downloaded again.",
  state: "resolved",
  resolutionNotes: "Released the profile at the SM-DP+; the customer scanned the QR again.",
  resolvedAt: "2026-06-01T11:00:00.000Z",
  stateHistory: [
    ["open", "acknowledged", "AGT-002", "Trigger: ack", "09:20"],
    ["acknowledged", "in_progress", "AGT-002", "Trigger: start", "09:30"],
    ["in_progress", "resolved", null, "Trigger: resolve", "11:00"],
  ].map(([fromState, toState, agent, reason, at]) => ({
    fromState,
    toState: toState!,
    changedBy: "cli-user",
    changedByAgentId: agent,
    reason,
    eventTime: `2026-06-01T${at}:00.000Z`,
  })),
} as Ticket;

/** Six interactions: five shown, one counted. */
export const interactions: Interaction[] = Array.from({ length: 6 }, (_, i) => ({
  "@type": "Interaction",
  id: `INT-${i}`,
  customerId: customer.id,
  channel: i % 2 ? "portal-self-serve" : "cli",
  direction: "inbound",
  summary: i === 0 ? "case opened about roaming trouble while travelling in Malaysia" : `note ${i}`,
  body: null,
  agentId: null,
  relatedCaseId: null,
  relatedTicketId: null,
  occurredAt: `2026-06-0${6 - i}T09:15:00.000Z`,
} as Interaction));

/** A completed order. */
export const order: Order = {
  "@type": "ProductOrder",
  id: "ORD-0350",
  href: "/tmf-api/productOrderingManagement/v4/productOrder/ORD-0350",
  relatedParty: [{ id: customer.id, role: "Customer", "@referredType": "Customer" }],
  customerId: customer.id,
  state: "completed",
  orderDate: "2026-05-20T03:00:00.000Z",
  requestedCompletionDate: null,
  completedDate: "2026-05-20T03:00:05.000Z",
  completionDate: "2026-05-20T03:00:05.000Z",
  msisdnPreference: null,
  notes: null,
  paymentMethodId: "PM-0001",
  productOrderItem: [{
    id: "ORD-0350-1",
    action: "add",
    productOffering: { id: "PLAN_S", "@referredType": "ProductOffering" },
    offeringId: "PLAN_S",
    state: "completed",
    targetSubscriptionId: "SUB-0412",
    priceAmount: "10.00",
    priceCurrency: "SGD",
    priceOfferingPriceId: "PRICE_PLAN_S",
    discountCode: null,
    promoOfferDefinitionId: null,
    discountType: null,
    discountValue: null,
    discountPeriodsTotal: null,
    promoOfferId: null,
  }],
};

/** The order's service order. */
export const serviceOrder: ServiceOrder = {
  "@type": "ServiceOrder",
  id: "SO-0101",
  href: "/tmf-api/serviceOrderingManagement/v4/serviceOrder/SO-0101",
  commercialOrderId: order.id,
  state: "completed",
  stateReason: null,
  startedAt: "2026-05-20T03:00:00.500Z",
  completedAt: "2026-05-20T03:00:04.900Z",
  serviceOrderItem: [{
    id: "SOI-1",
    action: "add",
    serviceSpecId: "CFS_MOBILE",
    targetServiceId: "SVC-0900",
  }],
} as ServiceOrder;

function service(
  id: string,
  type: "CFS" | "RFS",
  specId: string,
  children: Service[] = [],
): Service {
  return {
    "@type": "Service",
    id,
    href: `/tmf-api/serviceInventoryManagement/v4/service/${id}`,
    subscriptionId: "SUB-0412",
    specId,
    type,
    parentServiceId: type === "RFS" ? "SVC-0900" : null,
    state: "activated",
    characteristics: {},
    activatedAt: "2026-05-20T03:00:04.000Z",
    terminatedAt: null,
    children,
  } as Service;
}

/** The CFS with its two RFS. */
export const services: Service[] = [
  service("SVC-0900", "CFS", "CFS_MOBILE_BROADBAND", [
    service("SVC-0901", "RFS", "RFS_DATA"),
    service("SVC-0902", "RFS", "RFS_VOICE"),
  ]),
];

function task(
  id: string,
  serviceId: string,
  taskType: string,
  state: Task["state"],
  attempts: number,
): Task {
  return {
    "@type": "ProvisioningTask",
    id,
    href: `/provisioning-api/v1/task/${id}`,
    serviceId,
    serviceOrderId: serviceOrder.id,
    commercialOrderId: order.id,
    taskType,
    state,
    attempts,
    maxAttempts: 3,
    payload: {},
    lastError: state === "failed"
      ? "OCS timed out after 30s waiting for the balance init ack"
      : null,
    startedAt: "2026-05-20T03:00:01.000Z",
    completedAt: state === "completed" ? "2026-05-20T03:00:02.500Z" : null,
  };
}

/** Provisioning tasks: one completed, one failed after three attempts, one on the voice RFS. */
export const tasks: Task[] = [
  task("PTK-0201", "SVC-0901", "HLR_PROVISION", "completed", 1),
  task("PTK-0202", "SVC-0901", "OCS_BALANCE_INIT", "failed", 3),
  task("PTK-0203", "SVC-0902", "PCRF_POLICY_PUSH", "completed", 1),
];

function offering(
  id: string,
  name: string,
  price: string | null,
  data: number,
  voice: number,
  sms: number,
  roaming: number,
): Offering {
  return {
    "@type": "ProductOffering",
    id,
    href: `/tmf-api/productCatalogManagement/v4/productOffering/${id}`,
    name,
    isBundle: true,
    isSellable: true,
    lifecycleStatus: "active",
    productSpecification: {
      "@type": "ProductSpecificationRef",
      id: "SPEC_MOBILE",
      href: "/spec",
      name: null,
    },
    productOfferingPrice: price === null ? [] : [{
      "@type": "ProductOfferingPrice",
      id: `PRICE_${id}`,
      priceType: "recurring",
      recurringChargePeriodLength: 30,
      recurringChargePeriodType: "day",
      price: { taxIncludedAmount: { value: price, unit: "SGD" } },
    }],
    bundleAllowance: [
      { allowanceType: "data", quantity: data, unit: "mb" },
      { allowanceType: "voice", quantity: voice, unit: "minutes" },
      { allowanceType: "sms", quantity: sms, unit: "count" },
      { allowanceType: "data_roaming", quantity: roaming, unit: "mb" },
    ],
  } as Offering;
}

/** Four plans, given out of price order. */
export const offerings: Offering[] = [
  offering("PLAN_L", "Max with an unreasonably long marketing name", "45.00", -1, -1, -1, 2048),
  offering("PLAN_S", "Lite", "10.00", 4096, 100, 100, 0),
  offering("PLAN_M", "Standard", "25.00", 30720, -1, -1, 500),
  offering("PLAN_XS", "Mini", "8.00", 2048, 50, 50, 0),
];

/** Two VAS offerings. */
export const vas: VasOffering[] = [
  {
    id: "VAS_DATA_1GB",
    name: "Data top-up 1 GB",
    priceAmount: "3.00",
    currency: "SGD",
    allowanceType: "data",
    allowanceQuantity: 1024,
    allowanceUnit: "mb",
    expiryHours: 720,
  },
  {
    id: "VAS_ROAM_DAY",
    name: "Roaming day pass",
    priceAmount: "5.00",
    currency: "SGD",
    allowanceType: "data_roaming",
    allowanceQuantity: 500,
    allowanceUnit: "mb",
    expiryHours: 24,
  },
] as VasOffering[];

/** MSISDNs in three states. */
export const msisdns: Msisdn[] = [
  {
    msisdn: "91000001",
    status: "available",
    reserved_at: null,
    assigned_to_subscription_id: null,
    quarantine_until: null,
  },
  {
    msisdn: "91000002",
    status: "reserved",
    reserved_at: "2026-06-01T09:00:00.000Z",
    assigned_to_subscription_id: null,
    quarantine_until: null,
  },
  {
    msisdn: "91234567",
    status: "assigned",
    reserved_at: "2026-05-20T03:00:00.000Z",
    assigned_to_subscription_id: "SUB-0412",
    quarantine_until: null,
  },
] as Msisdn[];

/** A port-in request. */
export const portRequest: PortRequest = {
  id: "PORT-5E21AB90",
  direction: "port_in",
  donorCarrier: "OtherTel Mobile Communications",
  donorMsisdn: "98887777",
  targetSubscriptionId: "SUB-0412",
  requestedPortDate: "2026-06-15",
  state: "rejected",
  rejectionReason: "donor account name mismatch",
  createdAt: "2026-06-10T10:00:00.000Z",
  updatedAt: "2026-06-11T10:00:00.000Z",
} as PortRequest;

/** eSIM activation data as the subscription service returns it. */
export const esim = {
  subscriptionId: "SUB-0412",
  iccid: "8965012345678900777",
  imsi: "525019876543210",
  msisdn: "91234567",
  activationCode: "LPA:1$smdp.example.test$ZX-42-8F3A-11C0",
  state: "activated",
};

/** The clock's now for "renews in". */
export const NOW = "2026-06-09T00:00:00.000Z";
