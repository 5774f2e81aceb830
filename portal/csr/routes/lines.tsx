/**
 * A line (subscription): state, number, eSIM, plan and price, renewal, what is left of each
 * allowance, with a top-up (charges the customer's default card) and termination (a danger
 * section: the number is quarantined and the eSIM recycled).
 *
 * @module
 */
import type { Hono } from "hono";
import { msisdnText } from "../../components/format.ts";
import { Form } from "../../render.tsx";
import { writeRoute } from "../app.tsx";
import type { CsrEnv } from "../env.ts";
import { DangerConfirm, page } from "../render.tsx";
import { Balances } from "./customers.tsx";
import type { Line } from "./shapes.ts";
import { when } from "./shapes.ts";

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
    const vas = await bss.run<Vas[]>("catalog.list_vas", {}).catch(() => []);
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
            <Form action={`/subscriptions/${line.id}/vas`} class="inline">
              <label for="vas">Add-on (charged to the default card)</label>
              <select id="vas" name="vas_offering_id">
                {vas.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name ?? v.id} — {v.currency} {v.priceAmount}
                  </option>
                ))}
              </select>
              <button type="submit">Buy</button>
            </Form>
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
    "/subscriptions/:id/terminate",
    "Line terminated.",
    "subscription.terminate",
    (id) => ({ subscription_id: id }),
    { confirm: true },
  );
}
