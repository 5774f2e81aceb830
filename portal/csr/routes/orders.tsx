/**
 * An order: its state, items (plan, price, the line it made), dates; cancelling one not yet
 * final sits in a danger section (the reserved number and eSIM go back to the pool).
 *
 * @module
 */
import type { Hono } from "hono";
import { writeRoute } from "../app.tsx";
import type { CsrEnv } from "../env.ts";
import { DangerConfirm, page } from "../render.tsx";
import { when } from "./shapes.ts";

interface Order {
  id: string;
  customerId: string;
  state: string;
  orderDate: string;
  completionDate: string | null;
  msisdnPreference: string | null;
  productOrderItem: {
    id: string;
    offeringId: string;
    state: string;
    priceAmount: string | null;
    priceCurrency: string | null;
    targetSubscriptionId: string | null;
  }[];
}

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Mounts the order pages. */
export function orderRoutes(app: Hono<CsrEnv>): void {
  app.get("/orders/:id", async (c) => {
    const o = await c.get("crm").bss.run<Order>("order.get", { order_id: c.req.param("id") });
    return page(
      c,
      o.id,
      <section class="order">
        <h1>
          Order <small>{o.id}</small>
        </h1>
        <p>
          <strong>{o.state}</strong> · customer{" "}
          <a href={`/customers/${o.customerId}`}>{o.customerId}</a> · placed {when(o.orderDate)}
          {o.completionDate ? ` · ended ${when(o.completionDate)}` : ""}
          {o.msisdnPreference ? ` · number wanted ${o.msisdnPreference}` : ""}
        </p>
        <ul>
          {o.productOrderItem.map((i) => (
            <li key={i.id}>
              {i.offeringId} at {i.priceCurrency ?? ""} {i.priceAmount ?? "—"} · {i.state}
              {i.targetSubscriptionId && (
                <>
                  {" · line "}
                  <a href={`/subscriptions/${i.targetSubscriptionId}`}>
                    {i.targetSubscriptionId}
                  </a>
                </>
              )}
            </li>
          ))}
        </ul>
        {!FINAL.has(o.state) && (
          <DangerConfirm
            action={`/orders/${o.id}/cancel`}
            label="Cancel the order"
            consequence="The order stops for good; the number and eSIM it reserved go back to the pool. Refused once provisioning has started."
          />
        )}
      </section>,
    );
  });

  writeRoute(app, "/orders/:id/cancel", "Order cancelled.", "order.cancel", (id) => ({
    order_id: id,
  }), { confirm: true });
}
