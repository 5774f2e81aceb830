/**
 * Who may call what: the one table of every route's scope (README "Scoped tokens"). A route
 * needs `operator`, `admin`, or `self_serve`; a `self_serve` route is also open to `operator`
 * identities, and a caller that reaches it only through `self_serve` (the portal) must be
 * bound to the customer it is about: `bind` says where the request names that customer, or
 * the resource whose owner is that customer.
 *
 * Adding a route: add its `METHOD path` line here, in its service's block. A route missing
 * from the table needs `admin` (fail closed), and `tests/http_scopes_test.ts` fails naming it.
 *
 * @module
 */
import type { RouteScope, Scope } from "../kernel/tokens.ts";

/**
 * What a bound value is: the customer's id, the id of a resource the customer owns, or
 * (`email`) the email address the caller asserted as its actor.
 */
export type Owned =
  | "customer"
  | "subscription"
  | "order"
  | "case"
  | "paymentMethod"
  | "esim"
  | "email";

/** Where a self-serve request names its customer: `params.id` holding an `Owned` id. */
export interface Binding {
  from: "params" | "query" | "body";
  key: string;
  owns: Owned;
}

/** The access rule of one route. */
export interface Access {
  scope: RouteScope;
  /** For `self_serve` routes about one customer; absent: open to any self-serve caller. */
  bind?: Binding;
}

const operator: Access = { scope: "operator" };
const admin: Access = { scope: "admin" };
/** Self-serve without a customer: reference data, number picking, signup's customer create. */
const open: Access = { scope: "self_serve" };
/** Self-serve about the customer (or their resource) named at `from.key`. */
const mine = (from: Binding["from"], key: string, owns: Owned = "customer"): Access => ({
  scope: "self_serve",
  bind: { from, key, owns },
});

const CATALOG = "/tmf-api/productCatalogManagement/v4";
const PROMOTION = "/tmf-api/promotionManagement/v4/promotion";
const CUSTOMER = "/tmf-api/customerManagement/v4/customer";
const INTERACTION = "/tmf-api/customerInteractionManagement/v1/interaction";
const TICKET = "/tmf-api/troubleTicket/v4/troubleTicket";
const CRM = "/crm-api/v1";
const INVENTORY = "/inventory-api/v1";
const KNOWLEDGE = "/knowledge-api/v1";
const METHOD = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
const PAYMENT = "/tmf-api/paymentManagement/v4/payment";
const ORDER = "/tmf-api/productOrderingManagement/v4/productOrder";
const SERVICE_ORDER = "/tmf-api/serviceOrderingManagement/v4";
const SERVICE = "/tmf-api/serviceInventoryManagement/v4/service";
const SUBSCRIPTION = "/subscription-api/v1/subscription";
const USAGE = "/tmf-api/usageManagement/v4/usage";
const PROVISIONING = "/provisioning-api/v1";

/** Every route, `METHOD path` (the Hono pattern) → its access rule. */
export const ROUTE_SCOPES: Readonly<Record<string, Access>> = {
  // Every service
  "GET /openapi.json": operator,
  // The BSS clock's reading: tools read "now" from it (the portal's plan list, KYC dates).
  "GET /admin-api/v1/clock/now": open,
  "POST /admin-api/v1/clock/advance": admin,
  "POST /admin-api/v1/clock/freeze": admin,
  "POST /admin-api/v1/clock/unfreeze": admin,
  "POST /admin-api/v1/clock/reset": admin,
  "POST /admin-api/v1/reset-operational-data": admin,
  "GET /audit-api/v1/events": operator,
  "GET /audit-api/v1/trace/:traceId": operator,
  "GET /audit-api/v1/trace/for-order/:orderId": operator,
  "GET /audit-api/v1/trace/for-subscription/:subscriptionId": operator,
  "GET /audit-api/v1/trace/services": operator,

  // TMF JSON schemas the resources conform to (reference documents, no data)
  "GET /tmf-api/schema/ProductOffering.schema.json": open,
  "GET /tmf-api/schema/ProductOfferingPrice.schema.json": open,
  "GET /tmf-api/schema/ProductSpecification.schema.json": open,
  "GET /tmf-api/schema/Customer.schema.json": open,
  "GET /tmf-api/schema/Resource.schema.json": open,
  "GET /tmf-api/schema/ProductOrder.schema.json": open,
  "GET /tmf-api/schema/ServiceOrder.schema.json": open,
  "GET /tmf-api/schema/Service.schema.json": open,
  "GET /tmf-api/schema/Usage.schema.json": open,

  // catalog
  [`GET ${CATALOG}/productOffering`]: open,
  [`GET ${CATALOG}/productOffering/:id`]: open,
  [`GET ${CATALOG}/productOffering/:id/serviceMapping`]: operator,
  [`GET ${CATALOG}/productOfferingPrice/:priceId`]: open,
  [`GET ${CATALOG}/productOfferingPrice/active/:offeringId`]: open,
  [`GET ${CATALOG}/productSpecification`]: open,
  [`GET ${CATALOG}/productSpecification/:id`]: open,
  "GET /vas/offering": open,
  "GET /vas/offering/:id": open,
  "GET /promo/preview": open,
  "GET /promo/validate": open,
  "GET /promo/resolve-eligible": mine("query", "customerId"),
  "GET /promo/customer-offers": mine("query", "customerId"),
  [`GET ${PROMOTION}`]: operator,
  [`GET ${PROMOTION}/:id`]: operator,
  [`POST ${PROMOTION}`]: operator,
  [`POST ${PROMOTION}/:id/assign`]: operator,
  [`POST ${PROMOTION}/:id/unassign`]: operator,
  [`POST ${PROMOTION}/:id/exhaust`]: operator,
  "POST /admin/catalog/offering": operator,
  "PATCH /admin/catalog/offering/:id/window": operator,
  "POST /admin/catalog/offering/:id/price": operator,

  // crm: customers (signup creates one; the rest is the bound customer's own)
  [`GET ${CUSTOMER}`]: operator,
  [`POST ${CUSTOMER}`]: open,
  // The portal links a verified sign-in email to the customer holding it, asserting that email.
  [`GET ${CUSTOMER}/by-email`]: mine("query", "email", "email"),
  [`GET ${CUSTOMER}/by-msisdn/:msisdn`]: operator,
  [`GET ${CUSTOMER}/:id`]: mine("params", "id"),
  [`PATCH ${CUSTOMER}/:id`]: mine("params", "id"),
  [`PATCH ${CUSTOMER}/:id/individual`]: mine("params", "id"),
  [`POST ${CUSTOMER}/:id/contactMedium`]: mine("params", "id"),
  [`PATCH ${CUSTOMER}/:id/contactMedium/:cmId`]: mine("params", "id"),
  [`DELETE ${CUSTOMER}/:id/contactMedium/:cmId`]: mine("params", "id"),
  [`GET ${CRM}/customer/:id/kyc-status`]: mine("params", "id"),
  [`POST ${CRM}/customer/:id/kyc-attestation`]: mine("params", "id"),
  // crm: cases, chat, interactions, tickets, port requests, agents
  [`GET ${CRM}/case`]: mine("query", "customerId"),
  [`POST ${CRM}/case`]: mine("body", "customer_id"),
  [`GET ${CRM}/case/:id`]: mine("params", "id", "case"),
  [`PATCH ${CRM}/case/:id`]: operator,
  [`POST ${CRM}/case/:id/close`]: operator,
  [`POST ${CRM}/case/:id/note`]: operator,
  [`POST ${CRM}/chat-transcript`]: mine("body", "customer_id"),
  [`GET ${CRM}/chat-transcript/:hash`]: operator,
  [`GET ${INTERACTION}`]: operator,
  [`POST ${INTERACTION}`]: operator,
  [`GET ${TICKET}`]: operator,
  [`POST ${TICKET}`]: operator,
  [`GET ${TICKET}/:id`]: operator,
  [`PATCH ${TICKET}/:id`]: operator,
  [`POST ${TICKET}/:id/cancel`]: operator,
  [`POST ${TICKET}/:id/resolve`]: operator,
  [`POST ${TICKET}/:id/transition`]: operator,
  [`GET ${CRM}/port-requests`]: operator,
  [`POST ${CRM}/port-requests`]: operator,
  [`GET ${CRM}/port-requests/:id`]: operator,
  [`POST ${CRM}/port-requests/:id/approve`]: operator,
  [`POST ${CRM}/port-requests/:id/reject`]: operator,
  [`GET ${CRM}/agent`]: operator,
  [`GET ${CRM}/agent/:id`]: operator,
  // crm: inventory (signup picks a number; the confirmation shows the line's eSIM)
  [`GET ${INVENTORY}/msisdn`]: open,
  [`GET ${INVENTORY}/msisdn/count`]: operator,
  [`GET ${INVENTORY}/msisdn/:msisdn`]: operator,
  [`POST ${INVENTORY}/msisdn/add-range`]: operator,
  [`POST ${INVENTORY}/msisdn/reserve-next`]: operator,
  [`POST ${INVENTORY}/msisdn/:msisdn/reserve`]: operator,
  [`POST ${INVENTORY}/msisdn/:msisdn/assign`]: operator,
  [`POST ${INVENTORY}/msisdn/:msisdn/release`]: operator,
  [`POST ${INVENTORY}/reserve-line`]: operator,
  [`POST ${INVENTORY}/bind-line`]: operator,
  [`GET ${INVENTORY}/esim`]: operator,
  [`POST ${INVENTORY}/esim/reserve`]: operator,
  [`GET ${INVENTORY}/esim/:iccid`]: mine("params", "iccid", "esim"),
  [`GET ${INVENTORY}/esim/:iccid/activation`]: mine("params", "iccid", "esim"),
  [`POST ${INVENTORY}/esim/:iccid/assign-msisdn`]: operator,
  [`POST ${INVENTORY}/esim/:iccid/mark-downloaded`]: operator,
  [`POST ${INVENTORY}/esim/:iccid/mark-activated`]: operator,
  [`POST ${INVENTORY}/esim/:iccid/recycle`]: operator,
  [`POST ${INVENTORY}/esim/:iccid/release`]: operator,
  // crm: TMF639 resource inventory (numbers and eSIMs as resources)
  "GET /tmf-api/resourceInventoryManagement/v4/resource": operator,
  "GET /tmf-api/resourceInventoryManagement/v4/resource/:id": operator,
  // crm: the operator handbook
  [`GET ${KNOWLEDGE}/search`]: operator,
  [`GET ${KNOWLEDGE}/section`]: operator,
  [`GET ${KNOWLEDGE}/sections`]: operator,
  [`GET ${KNOWLEDGE}/status`]: operator,
  [`POST ${KNOWLEDGE}/reindex`]: admin,

  // payment
  [`GET ${METHOD}`]: mine("query", "customerId"),
  [`POST ${METHOD}`]: mine("body", "customerId"),
  [`POST ${METHOD}/cardEntry`]: mine("body", "customerId"),
  [`POST ${METHOD}/cardEntry/:id/complete`]: mine("body", "customerId"),
  [`GET ${METHOD}/:id`]: mine("params", "id", "paymentMethod"),
  [`DELETE ${METHOD}/:id`]: mine("params", "id", "paymentMethod"),
  [`POST ${METHOD}/:id/setDefault`]: mine("params", "id", "paymentMethod"),
  "POST /admin-api/v1/cutover/invalidate-mock-tokens": admin,
  [`GET ${PAYMENT}`]: mine("query", "customerId"),
  [`GET ${PAYMENT}/count`]: operator,
  [`GET ${PAYMENT}/:id`]: operator,
  [`POST ${PAYMENT}`]: operator,
  [`POST ${PAYMENT}/refund`]: operator,

  // com
  [`GET ${ORDER}`]: mine("query", "customerId"),
  [`POST ${ORDER}`]: mine("body", "customerId"),
  [`GET ${ORDER}/:id`]: mine("params", "id", "order"),
  [`POST ${ORDER}/:id/submit`]: mine("params", "id", "order"),
  [`POST ${ORDER}/:id/cancel`]: operator,

  // som (TMF641/638 canonical paths beside the reference's)
  "GET /tmf-api/serviceOrdering/v4/serviceOrder": operator,
  "GET /tmf-api/serviceOrdering/v4/serviceOrder/:id": operator,
  "POST /tmf-api/serviceOrdering/v4/cancelServiceOrder": operator,
  "GET /tmf-api/serviceInventory/v4/service": operator,
  "GET /tmf-api/serviceInventory/v4/service/:id": operator,
  [`GET ${SERVICE_ORDER}/serviceOrder`]: operator,
  [`GET ${SERVICE_ORDER}/serviceOrder/:id`]: operator,
  [`POST ${SERVICE_ORDER}/cancelServiceOrder`]: operator,
  [`GET ${SERVICE}`]: operator,
  [`GET ${SERVICE}/:id`]: operator,

  // subscription
  [`GET ${SUBSCRIPTION}`]: mine("query", "customerId"),
  [`POST ${SUBSCRIPTION}`]: operator,
  [`GET ${SUBSCRIPTION}/by-msisdn/:msisdn`]: operator,
  [`GET ${SUBSCRIPTION}/:id`]: mine("params", "id", "subscription"),
  [`GET ${SUBSCRIPTION}/:id/balance`]: mine("params", "id", "subscription"),
  [`POST ${SUBSCRIPTION}/:id/vas-purchase`]: mine("params", "id", "subscription"),
  [`POST ${SUBSCRIPTION}/:id/schedule-plan-change`]: mine("params", "id", "subscription"),
  [`POST ${SUBSCRIPTION}/:id/cancel-plan-change`]: mine("params", "id", "subscription"),
  [`POST ${SUBSCRIPTION}/:id/terminate`]: mine("params", "id", "subscription"),
  [`POST ${SUBSCRIPTION}/:id/renew`]: operator,
  "POST /subscription-api/v1/admin/subscription/migrate-price": admin,
  "POST /admin-api/v1/renewal/tick-now": admin,

  // mediation, rating, provisioning
  [`GET ${USAGE}`]: mine("query", "subscriptionId", "subscription"),
  [`GET ${USAGE}/:id`]: operator,
  [`POST ${USAGE}`]: operator,
  "GET /rating-api/v1/tariff/:offeringId": operator,
  "POST /rating-api/v1/rate-test": operator,
  [`GET ${PROVISIONING}/task`]: operator,
  [`GET ${PROVISIONING}/task/:id`]: operator,
  [`GET ${PROVISIONING}/task/:id/history`]: operator,
  [`POST ${PROVISIONING}/task/:id/resolve`]: operator,
  [`POST ${PROVISIONING}/task/:id/retry`]: operator,
  [`GET ${PROVISIONING}/fault-injection`]: operator,
  [`PATCH ${PROVISIONING}/fault-injection/:id`]: operator,
};

/** The access rule of a route; an unlisted route needs `admin`. */
export function accessOf(method: string, path: string): Access {
  return ROUTE_SCOPES[`${method} ${path}`] ?? admin;
}

/** Whether `scopes` reach `access`, and whether only as the bound customer. */
export function grant(
  scopes: readonly Scope[],
  access: Access,
): "denied" | "granted" | "bound" {
  if (scopes.includes(access.scope)) {
    return access.scope === "self_serve" && !scopes.includes("operator") ? "bound" : "granted";
  }
  if (access.scope === "self_serve" && scopes.includes("operator")) return "granted";
  return "denied";
}
