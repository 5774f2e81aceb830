/**
 * SOM's wire shapes (docs/http.md §9.1, TMF641/TMF638 v4 names per docs/decisions.md): ServiceOrder with
 * `serviceOrderItem`, Service with nested `children`.
 *
 * @module
 */
import { z } from "zod";
import { paging } from "../paging.ts";
import { SERVICE_ORDER_STATES, SERVICE_STATES, type ServiceState } from "../../actors/som/model.ts";
import { tmfVocabulary } from "../tmf.ts";

/** The TMF641 API prefix (official). */
export const TMF641 = "/tmf-api/serviceOrdering/v4";
/** The TMF638 API prefix (official). */
export const TMF638 = "/tmf-api/serviceInventory/v4";
/** The prefixes SOM served first, kept as aliases of the official ones (old → official). */
export const SOM_PATH_ALIASES = {
  "/tmf-api/serviceOrderingManagement/v4": TMF641,
  "/tmf-api/serviceInventoryManagement/v4": TMF638,
} as const;

const Instant = z.iso.datetime({ offset: true });

/** TMF's paging of a list: `offset` and `limit`. */
export const Paging = paging(100, 500);

/** A path or query id. */
// Ids travel into other services' paths: only characters every service accepts.
export const Id = z.string().regex(
  /^[A-Za-z0-9_.:-]{1,64}$/,
  "an id is 1–64 letters, digits or _.:-",
);

/** TMF641's words for our service order states. */
export const SERVICE_ORDER_STATE = tmfVocabulary(SERVICE_ORDER_STATES, {
  in_progress: "inProgress",
});

/** A TMF ServiceSpecificationRef. */
const ServiceSpecificationRef = z.object({ id: z.string() });

/** One service order item (no `@type`); `service` is TMF's reference to the target service. */
export const ServiceOrderItem = z.object({
  id: z.string(),
  action: z.string(),
  service: z.object({
    id: z.string().nullable(),
    href: z.string().nullable(),
    serviceSpecification: ServiceSpecificationRef,
  }),
  serviceSpecId: z.string(),
  targetServiceId: z.string().nullable(),
});

/** TMF641 ServiceOrder. */
export const ServiceOrder = z.object({
  "@type": z.literal("ServiceOrder"),
  id: z.string(),
  href: z.string(),
  commercialOrderId: z.string(),
  state: SERVICE_ORDER_STATE.schema,
  stateReason: z.string().nullable(),
  startedAt: Instant.nullable(),
  completedAt: Instant.nullable(),
  /** TMF's names of `startedAt` and `completedAt`. */
  startDate: Instant.nullable(),
  completionDate: Instant.nullable(),
  serviceOrderItem: z.array(ServiceOrderItem),
});

/** TMF638's words for our service states (`failed` is TMF's `inactive`); one to one. */
export const SERVICE_STATE = tmfVocabulary(SERVICE_STATES, {
  feasibility_checked: "feasibilityChecked",
  activated: "active",
  failed: "inactive",
});

/** A TMF638 service state. */
export type TmfServiceState = ReturnType<typeof SERVICE_STATE.toTmf>;

/** The state on the wire (TMF's word), read back as ours. */
export const ServiceStateWire = SERVICE_STATE.schema;

/** A service as the code reads it (recursive through `children`). */
export interface ServiceWire {
  "@type": "Service";
  id: string;
  href: string;
  subscriptionId: string | null;
  specId: string;
  serviceSpecification: { id: string };
  type: "CFS" | "RFS";
  category: "CFS" | "RFS";
  parentServiceId: string | null;
  state: ServiceState;
  characteristics: Record<string, unknown>;
  activatedAt: string | null;
  terminatedAt: string | null;
  children: ServiceWire[];
}

/** A service as it is written: TMF's state words. */
export type ServiceWireOut = Omit<ServiceWire, "state" | "children"> & {
  state: TmfServiceState;
  children: ServiceWireOut[];
};

/**
 * TMF638 Service: `serviceSpecification`, `category` (CFS/RFS) and TMF's states, with our
 * `specId`, `type`, `subscriptionId`, `characteristics` and nested `children` as extensions.
 */
export const Service: z.ZodType<ServiceWire, ServiceWireOut> = z.object({
  "@type": z.literal("Service"),
  id: z.string(),
  href: z.string(),
  subscriptionId: z.string().nullable(),
  specId: z.string(),
  serviceSpecification: ServiceSpecificationRef,
  type: z.enum(["CFS", "RFS"]),
  category: z.enum(["CFS", "RFS"]),
  parentServiceId: z.string().nullable(),
  state: ServiceStateWire,
  characteristics: z.record(z.string(), z.unknown()),
  activatedAt: Instant.nullable(),
  terminatedAt: Instant.nullable(),
  get children() {
    return z.array(Service);
  },
});
