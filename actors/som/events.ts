/**
 * SOM's domain events (docs/flows.md §5.1, §5.2): `service_order.*` (aggregate `ServiceOrder`) and
 * `provisioning.task.created` (aggregate `ProvisioningTask`, id `<cfs>:<taskType>`).
 *
 * @module
 */
import type { DomainEvent } from "../../kernel/events.ts";
import type { CfsCharacteristics, ServiceOrderRow, ServiceRow, TaskType } from "./model.ts";

/** A `service_order.*` event with `serviceOrderId`, `commercialOrderId` and `extra`. */
export function serviceOrderEvent(
  type: string,
  so: ServiceOrderRow,
  extra: Record<string, unknown> = {},
): DomainEvent {
  return {
    type,
    aggregateType: "ServiceOrder",
    aggregateId: so.id,
    payload: { serviceOrderId: so.id, commercialOrderId: so.commercial_order_id, ...extra },
  };
}

/** `service_order.completed`: what COM activates the subscription from. */
export function completedEvent(so: ServiceOrderRow, cfs: ServiceRow, c: CfsCharacteristics) {
  return serviceOrderEvent("service_order.completed", so, {
    customerId: c.customerId,
    offeringId: c.offeringId,
    msisdn: c.msisdn,
    iccid: c.iccid,
    paymentMethodId: c.paymentMethodId,
    cfsServiceId: cfs.id,
    priceSnapshot: c.priceSnapshot,
  });
}

/** `provisioning.task.created` for one task of the CFS. */
export function taskCreatedEvent(
  so: ServiceOrderRow,
  cfs: ServiceRow,
  c: CfsCharacteristics,
  taskType: TaskType,
): DomainEvent {
  return {
    type: "provisioning.task.created",
    aggregateType: "ProvisioningTask",
    aggregateId: `${cfs.id}:${taskType}`,
    payload: {
      serviceId: cfs.id,
      serviceOrderId: so.id,
      commercialOrderId: so.commercial_order_id,
      taskType,
      payload: {
        msisdn: c.msisdn,
        iccid: c.iccid,
        imsi: c.imsi,
        activationCode: c.activationCode,
        customerId: c.customerId,
        offeringId: c.offeringId,
      },
    },
  };
}
