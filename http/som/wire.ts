/**
 * Rows to their TMF641/TMF638 wire form.
 *
 * @module
 */
import type { z } from "zod";
import type { ServiceOrderWithItems, ServiceTree } from "../../actors/som/queries.ts";
import {
  SERVICE_ORDER_STATE,
  SERVICE_STATE,
  type ServiceOrder,
  type ServiceWireOut,
  TMF638,
  TMF641,
} from "./schemas.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The wire form of a service order. */
export function serviceOrderWire(so: ServiceOrderWithItems): z.input<typeof ServiceOrder> {
  return {
    "@type": "ServiceOrder",
    id: so.id,
    href: `${TMF641}/serviceOrder/${so.id}`,
    commercialOrderId: so.commercial_order_id,
    state: SERVICE_ORDER_STATE.toTmf(so.state),
    stateReason: so.state_reason,
    startedAt: iso(so.started_at),
    completedAt: iso(so.completed_at),
    startDate: iso(so.started_at),
    completionDate: iso(so.completed_at),
    serviceOrderItem: so.items.map((i) => ({
      id: i.id,
      action: i.action,
      service: {
        id: i.target_service_id,
        href: i.target_service_id && `${TMF638}/service/${i.target_service_id}`,
        serviceSpecification: { id: i.service_spec_id },
      },
      serviceSpecId: i.service_spec_id,
      targetServiceId: i.target_service_id,
    })),
  };
}

/** The wire form of a service and its children. */
export function serviceWire(s: ServiceTree): ServiceWireOut {
  return {
    "@type": "Service",
    id: s.id,
    href: `${TMF638}/service/${s.id}`,
    subscriptionId: s.subscription_id,
    specId: s.spec_id,
    serviceSpecification: { id: s.spec_id },
    type: s.type,
    category: s.type,
    parentServiceId: s.parent_service_id,
    state: SERVICE_STATE.toTmf(s.state),
    characteristics: s.characteristics,
    activatedAt: iso(s.activated_at),
    terminatedAt: iso(s.terminated_at),
    children: s.children.map(serviceWire),
  };
}
