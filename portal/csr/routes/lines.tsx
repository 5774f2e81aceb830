/**
 * A line (subscription): state, number, eSIM, plan and price, renewal, what is left of each
 * allowance, with a top-up (charges the customer's default card) and termination (a danger
 * section: the number is quarantined and the eSIM recycled).
 *
 * @module
 */
import type { Hono } from "hono";
import { msisdnText } from "../../components/format.ts";
import { writeRoute } from "../app.tsx";
import type { CsrEnv } from "../env.ts";
import { Form } from "../../render.tsx";
import { DangerConfirm, OnceForm, page } from "../render.tsx";
import { Balances } from "./customers.tsx";
import type { Line } from "./shapes.ts";
import { when } from "./shapes.ts";

/** A plan on sale, as `catalog.list_active_offerings` answers it. */
export interface Plan {
  id: string;
  name: string | null;
}

interface Vas {
  id: string;
  name: string | null;
  priceAmount: string;
  currency: string;
}

/** Mounts the line pages. */
export function lineRoutes(app: Hono<CsrEnv>): void {
  app.get("/subscriptions/:id", async (c) => {
    const { bss } = c.get("crm");
    const line = await bss.run<Line>("subscription.get", { subscription_id: c.req.param("id") });
    const [vas, plans] = await Promise.all([
      bss.run<Vas[]>("catalog.list_vas", {}).catch(() => []),
      bss.run<Plan[]>("catalog.list_active_offerings", {}).catch(() => []),
    ]);
    const live = line.state !== "terminated";
    return page(
      c,
      line.id,
      <section class="line">
        <h1>
          {msisdnText(line.msisdn)} <small>{line.id}</small>
        </h1>
        <p>
          <strong>{line.state}</strong>
          {line.stateReason ? ` (${line.stateReason})` : ""} · plan {line.offeringId} at{" "}
          {line.priceCurrency} {line.priceAmount}/month · customer{" "}
          <a href={`/customers/${line.customerId}`}>{line.customerId}</a>
        </p>
        <p>
          Active since {when(line.activatedAt)} · renews {when(line.nextRenewalAt)}
          {line.pendingOfferingId ? ` · switches to ${line.pendingOfferingId} then` : ""} · ICCID
          {" "}
          {line.iccid}
        </p>
        <h2>Left this period</h2>
        <p class="balances">
          <Balances line={line} />
        </p>
        {live && (
          <>
            <h2>Top up</h2>
            <OnceForm action={`/subscriptions/${line.id}/vas`} class="inline">
              <label for="vas">Add-on (charged to the default card)</label>
              <select id="vas" name="vas_offering_id">
                {vas.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name ?? v.id} — {v.currency} {v.priceAmount}
                  </option>
                ))}
              </select>
              <button type="submit">Buy</button>
            </OnceForm>
            <h2>Plan</h2>
            {line.pendingOfferingId
              ? (
                <Form action={`/subscriptions/${line.id}/plan-change/cancel`} class="inline">
                  <span>Switches to {line.pendingOfferingId} at the next renewal.</span>
                  <button type="submit" class="secondary">Keep {line.offeringId}</button>
                </Form>
              )
              : (
                <OnceForm action={`/subscriptions/${line.id}/plan-change`} class="inline">
                  <label for="plan">Switch at the next renewal to</label>
                  <select id="plan" name="new_offering_id">
                    {plans.filter((p) => p.id !== line.offeringId).map((p) => (
                      <option key={p.id} value={p.id}>{p.name ?? p.id}</option>
                    ))}
                  </select>
                  <button type="submit" class="secondary">Schedule</button>
                </OnceForm>
              )}
            <DangerConfirm
              action={`/subscriptions/${line.id}/renew`}
              label="Renew now"
              consequence={`Starts a new period now and charges ${line.priceCurrency} ` +
                `${line.priceAmount} to the default card; a decline blocks the line.`}
            />
            <DangerConfirm
              action={`/subscriptions/${line.id}/terminate`}
              label="Terminate the line"
              consequence="The line ends now with no refund: its number is quarantined and its eSIM recycled, and it cannot be undone."
            />
          </>
        )}
      </section>,
    );
  });

  writeRoute(app, "/subscriptions/:id/vas", "Add-on bought.", "subscription.purchase_vas", (
    id,
    f,
  ) => ({ subscription_id: id, vas_offering_id: f.vas_offering_id }));
  writeRoute(
    app,
    "/subscriptions/:id/plan-change",
    "Plan change scheduled.",
    "subscription.schedule_plan_change",
    (id, f) => ({ subscription_id: id, new_offering_id: f.new_offering_id }),
  );
  writeRoute(
    app,
    "/subscriptions/:id/plan-change/cancel",
    "Plan change dropped.",
    "subscription.cancel_pending_plan_change",
    (id) => ({ subscription_id: id }),
  );
  writeRoute(
    app,
    "/subscriptions/:id/renew",
    "Renewed.",
    "subscription.renew_now",
    (id) => ({ subscription_id: id }),
    { confirm: true },
  );
  writeRoute(
    app,
    "/subscriptions/:id/terminate",
    "Line terminated.",
    "subscription.terminate",
    (id) => ({ subscription_id: id }),
    { confirm: true },
  );
}
