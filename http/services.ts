/**
 * The nine BSS services: port, the API prefixes each serves, and which cross-service route
 * groups it mounts (docs/http.md §2, §10). Ports are the defaults; `BSS_PORT_OFFSET` shifts them all.
 *
 * @module
 */

/** A cross-service route group (docs/http.md §10): the BSS clock, or the shared audit log. */
export type SharedGroup = "clock" | "audit";

/** One HTTP service. */
export interface ServiceSpec {
  name: string;
  port: number;
  /** The API families it serves (docs/http.md §2). */
  prefixes: readonly string[];
  /** Cross-service route groups it mounts. */
  shared: readonly SharedGroup[];
}

const ALL: readonly SharedGroup[] = ["clock", "audit"];

/** Every service by name. The audit log is shared, so all but catalog serve it. */
export const SERVICES = {
  catalog: {
    name: "catalog",
    port: 8001,
    prefixes: [
      "/tmf-api/productCatalogManagement/v4",
      "/tmf-api/promotionManagement/v4",
      "/vas",
      "/promo",
      "/admin/catalog",
    ],
    shared: ["clock"],
  },
  crm: {
    name: "crm",
    port: 8002,
    prefixes: [
      "/tmf-api/customerManagement/v4",
      "/tmf-api/customerInteractionManagement/v1",
      "/tmf-api/troubleTicket/v4",
      "/crm-api/v1",
      "/inventory-api/v1",
      "/tmf-api/resourceInventoryManagement/v4",
      "/knowledge-api/v1",
    ],
    shared: ALL,
  },
  payment: {
    name: "payment",
    port: 8003,
    prefixes: [
      "/tmf-api/paymentMethodManagement/v4",
      "/tmf-api/paymentManagement/v4",
      "/webhooks/stripe",
      "/admin-api/v1/cutover",
    ],
    shared: ALL,
  },
  com: {
    name: "com",
    port: 8004,
    prefixes: ["/tmf-api/productOrderingManagement/v4"],
    shared: ALL,
  },
  som: {
    name: "som",
    port: 8005,
    prefixes: [
      "/tmf-api/serviceOrdering/v4",
      "/tmf-api/serviceInventory/v4",
      "/tmf-api/serviceOrderingManagement/v4",
      "/tmf-api/serviceInventoryManagement/v4",
    ],
    shared: ALL,
  },
  subscription: {
    name: "subscription",
    port: 8006,
    prefixes: ["/subscription-api/v1"],
    shared: ALL,
  },
  mediation: {
    name: "mediation",
    port: 8007,
    prefixes: ["/tmf-api/usageManagement/v4"],
    shared: ALL,
  },
  rating: { name: "rating", port: 8008, prefixes: ["/rating-api/v1"], shared: ALL },
  "provisioning-sim": {
    name: "provisioning-sim",
    port: 8010,
    prefixes: ["/provisioning-api/v1"],
    shared: ALL,
  },
} as const satisfies Record<string, ServiceSpec>;

/** The name of a service. */
export type ServiceName = keyof typeof SERVICES;
