/**
 * SOM's wire shapes (docs/http.md §9.1, TMF641/TMF638 v4 names per docs/decisions.md): ServiceOrder with
 * `serviceOrderItem`, Service with nested `children`.
 *
 * @module
 */
import { z } from "zod";
import { SERVICE_ORDER_STATES, SERVICE_STATES } from "../../actors/som/model.ts";

/** The TMF641 API prefix. */
export const TMF641 = "/tmf-api/serviceOrderingManagement/v4";
/** The TMF638 API prefix. */
export const TMF638 = "/tmf-api/serviceInventoryManagement/v4";

const Instant = z.iso.datetime({ offset: true });

/** A path or query id. */
// Ids travel into other services' paths: only characters every service accepts.
export const Id = z.string().regex(
  /^[A-Za-z0-9_.:-]{1,64}$/,
  "an id is 1–64 letters, digits or _.:-",
);

/** One service order item (no `@type`). */
export const ServiceOrderItem = z.object({
  id: z.string(),
  action: z.string(),
  serviceSpecId: z.string(),
  targetServiceId: z.string().nullable(),
});

/** TMF641 ServiceOrder. */
export const ServiceOrder = z.object({
  "@type": z.literal("ServiceOrder"),
  id: z.string(),
  href: z.string(),
  commercialOrderId: z.string(),
  state: z.enum(SERVICE_ORDER_STATES),
  stateReason: z.string().nullable(),
  startedAt: Instant.nullable(),
  completedAt: Instant.nullable(),
  serviceOrderItem: z.array(ServiceOrderItem),
});

/** The wire form of a service (recursive through `children`). */
export interface ServiceWire {
  "@type": "Service";
  id: string;
  href: string;
  subscriptionId: string | null;
  specId: string;
  type: "CFS" | "RFS";
  parentServiceId: string | null;
  state: typeof SERVICE_STATES[number];
  characteristics: Record<string, unknown>;
  activatedAt: string | null;
  terminatedAt: string | null;
  children: ServiceWire[];
}

/** TMF638 Service. */
export const Service: z.ZodType<ServiceWire> = z.object({
  "@type": z.literal("Service"),
  id: z.string(),
  href: z.string(),
  subscriptionId: z.string().nullable(),
  specId: z.string(),
  type: z.enum(["CFS", "RFS"]),
  parentServiceId: z.string().nullable(),
  state: z.enum(SERVICE_STATES),
  characteristics: z.record(z.string(), z.unknown()),
  activatedAt: Instant.nullable(),
  terminatedAt: Instant.nullable(),
  get children() {
    return z.array(Service);
  },
});
