/**
 * The wire shapes the cards render: the services' zod response schemas, inferred.
 *
 * @module
 */
import type { z } from "zod";
import type { Case as CaseSchema } from "../../http/crm/cases.ts";
import type { Customer as CustomerSchema } from "../../http/crm/customer_schemas.ts";
import type { Interaction as InteractionSchema } from "../../http/crm/interactions.ts";
import type { PortRequest as PortRequestSchema } from "../../http/crm/port_requests.ts";
import type { TroubleTicket as TicketSchema } from "../../http/crm/trouble_tickets.ts";
import type {
  ProductOffering as OfferingSchema,
  VasOffering as VasSchema,
} from "../../http/catalog/schemas.ts";
import type { ProductOrder as OrderSchema } from "../../http/com/schemas.ts";
import type { Msisdn as MsisdnSchema } from "../../http/inventory/schemas.ts";
import type { Task as TaskSchema } from "../../http/provisioning/schemas.ts";
import type { ServiceOrder as ServiceOrderSchema, ServiceWire } from "../../http/som/schemas.ts";
import type { Subscription as SubscriptionSchema } from "../../http/subscription/schemas.ts";

/** CRM customer (TMF629). */
export type Customer = z.infer<typeof CustomerSchema>;
/** CRM case with notes and ticket ids. */
export type Case = z.infer<typeof CaseSchema>;
/** CRM trouble ticket (TMF621). */
export type Ticket = z.infer<typeof TicketSchema>;
/** CRM interaction. */
export type Interaction = z.infer<typeof InteractionSchema>;
/** CRM port request. */
export type PortRequest = z.infer<typeof PortRequestSchema>;
/** Catalog product offering (TMF620). */
export type Offering = z.infer<typeof OfferingSchema>;
/** Catalog VAS offering. */
export type VasOffering = z.infer<typeof VasSchema>;
/** COM product order (TMF622). */
export type Order = z.infer<typeof OrderSchema>;
/** SOM service order (TMF641). */
export type ServiceOrder = z.infer<typeof ServiceOrderSchema>;
/** SOM service (TMF638) with its children. */
export type Service = ServiceWire;
/** Provisioning task. */
export type Task = z.infer<typeof TaskSchema>;
/** Inventory MSISDN. */
export type Msisdn = z.infer<typeof MsisdnSchema>;
/** Subscription with balances. */
export type Subscription = z.infer<typeof SubscriptionSchema>;
