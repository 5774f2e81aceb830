/**
 * The subscription endpoints (docs/http.md §9.2, §10): reads straight from the tables, writes
 * asked of the subscription actor.
 *
 * @module
 */
import { migratePrices } from "../../actors/subscription/migration.ts";
import { planTargetFacts } from "../../actors/subscription/plan_change.ts";
import { awaitLineFreed } from "../../actors/subscription/termination.ts";
import { clock } from "../../kernel/clock.ts";
import { balancesOf, getSubscriptionRow } from "../../actors/subscription/rows.ts";
import { tickRenewalsNow } from "../../actors/subscription/sweep.ts";
import type { SubscriptionPorts } from "../../actors/subscription/ports.ts";
import type { CreateReply } from "../../actors/subscription/activation.ts";
import { activationOfOrder, awaitActivation } from "../../actors/subscription/activation_rows.ts";
import { awaitCharge, type ChargeReply } from "../../actors/subscription/charge_intents.ts";
import { nextId } from "../../kernel/ids.ts";
import type { Envelope } from "../../actors/runtime/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { HttpError } from "../errors.ts";
import { oncePerKey, requestKeyOf } from "../idempotency.ts";
import { type Endpoint, endpoint } from "../route.ts";
import {
  cancelPlanChange,
  createSubscription,
  getSubscription,
  getSubscriptionBalance,
  getSubscriptionByMsisdn,
  listSubscriptions,
  migratePrice,
  purchaseVas,
  renewSubscription,
  schedulePlanChange,
  SUBSCRIPTIONS,
  terminateSubscription,
  tickRenewals,
} from "./routes.ts";
import { balanceWire, subscriptionsWireWhere, unmetered } from "./wire.ts";

/** The subscription endpoints; static paths (`/by-msisdn`) before `/:id`. */
export function subscriptionEndpoints(
  { config, sql, system }: Deps,
  ports: () => SubscriptionPorts,
): Endpoint[] {
  const one = async (id: string) => {
    const [sub] = await subscriptionsWireWhere(sql, sql`s.id = ${id}`);
    if (!sub) throw new NotFound("Subscription", id);
    return sub;
  };
  // A write on an existing subscription: unknown ids are 404 before anything is queued. Work
  // that settles after the turn (a charge, a line release) is waited for by `settled`.
  const write = async <R>(id: string, message: Envelope, settled?: (reply: R) => Promise<void>) => {
    await getSubscriptionRow(sql, id);
    const reply = await system.ask<R>("subscription", id, message);
    await settled?.(reply);
    return one(id);
  };
  const timeout = config.BSS_ASK_TIMEOUT_MS;
  // A refused charge met again (the same key) answers its refusal again.
  const charged = async ({ chargeKey, state }: ChargeReply) => {
    if (state !== "applied") await awaitCharge(sql, chargeKey, timeout);
  };
  return [
    // The saga runs in later turns and effects: the answer waits for it to settle.
    endpoint(createSubscription, async ({ body }, c) => {
      const ordered = body.commercialOrderId &&
        await activationOfOrder(sql, body.commercialOrderId);
      const key = ordered ? ordered.subscription_id : await nextId(sql, "SUB");
      const { id, state } = await system.ask<CreateReply>("subscription", key, {
        type: "create",
        ...body,
      });
      if (state !== "activated") await awaitActivation(sql, id, timeout);
      c.header("Location", `${SUBSCRIPTIONS}/${id}`);
      return one(id);
    }),
    endpoint(
      getSubscriptionByMsisdn,
      // The live (not terminated) line on the number; 404 otherwise (docs/decisions.md).
      async ({ params }) => {
        const [sub] = await subscriptionsWireWhere(
          sql,
          sql`s.msisdn = ${params.msisdn} and s.state <> 'terminated'`,
        );
        if (!sub) throw new NotFound("Subscription for MSISDN", params.msisdn);
        return sub;
      },
    ),
    endpoint(
      listSubscriptions,
      ({ query }) => subscriptionsWireWhere(sql, sql`s.customer_id = ${query.customerId}`),
    ),
    endpoint(getSubscription, ({ params }) => one(params.id)),
    endpoint(getSubscriptionBalance, async ({ params }) => {
      const row = await getSubscriptionRow(sql, params.id);
      const balances = await balancesOf(sql, [row.id]);
      if (!balances.length) throw new NotFound("Balances of subscription", row.id);
      return balances.map((b) => balanceWire(b, unmetered(row)));
    }),
    endpoint(purchaseVas, ({ params, body }, c) => {
      const key = requestKeyOf(c);
      return oncePerKey(
        sql,
        { scope: "subscription.vas_purchase", key, fingerprint: { ...params, ...body } },
        () =>
          write(params.id, {
            type: "vas_purchase",
            vasOfferingId: body.vasOfferingId,
            requestKey: key ?? null,
          }, charged),
      );
    }),
    endpoint(renewSubscription, ({ params }) => write(params.id, { type: "renew" }, charged)),
    endpoint(terminateSubscription, ({ params, body }) =>
      write(params.id, {
        type: "terminate",
        reason: body?.reason ?? "customer_requested",
        releaseInventory: body?.releaseInventory ?? true,
      }, () => awaitLineFreed(sql, params.id, timeout))),
    endpoint(schedulePlanChange, ({ params, body }, c) =>
      oncePerKey(
        sql,
        {
          scope: "subscription.plan_change",
          key: requestKeyOf(c),
          fingerprint: { ...params, ...body },
        },
        async () =>
          write(params.id, {
            type: "schedule_plan_change",
            newOfferingId: body.newOfferingId,
            target: await planTargetFacts(ports(), body.newOfferingId, clock.now()),
          }),
      )),
    endpoint(cancelPlanChange, ({ params }) => write(params.id, { type: "cancel_plan_change" })),
    endpoint(migratePrice, ({ body }) =>
      migratePrices(sql, system, ports(), {
        ...body,
        effectiveFrom: new Date(body.effectiveFrom),
      })),
    endpoint(tickRenewals, async () => {
      if (!config.BSS_ALLOW_ADMIN_RESET) {
        const message = "renewal sweeps are disabled (BSS_ALLOW_ADMIN_RESET)";
        throw new HttpError(403, { code: "ADMIN_RENEWAL_DISABLED", message });
      }
      await tickRenewalsNow(sql, system);
      return { status: "ok" as const };
    }),
  ];
}
