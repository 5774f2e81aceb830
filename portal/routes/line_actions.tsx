/**
 * What a customer does to a line: top up (add-on), switch plan (scheduled for the next
 * renewal, no proration) or keep the current one, cancel the line (with what is lost), and
 * show the eSIM again. Each write is one self-serve tool call behind its step-up label; the
 * line comes from the query or path but is always checked to be the signed-in customer's.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { recordAction, refusal } from "../actions.tsx";
import { stepUp } from "../auth/step_up.ts";
import { addOns, plansOnSale } from "../catalog.ts";
import { allowanceName, included, msisdnText, quantity } from "../components/format.ts";
import { Island } from "../components/island.tsx";
import { LineCard } from "../components/line_card.tsx";
import { PlanCard } from "../components/plan_card.tsx";
import { QrSvg } from "../components/qr_svg.tsx";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import CopyButton from "../islands/copy_button.tsx";
import { lineView, myLine, planNames } from "../lines.ts";
import { Form, page } from "../render.tsx";

type C = Context<PortalEnv>;

/** Runs `write` as one self-serve action: audited, refusals shown as pages. */
async function act(c: C, action: string, write: () => Promise<Response>): Promise<Response> {
  try {
    const response = await write();
    await recordAction(c, action, { success: true });
    return response;
  } catch (e) {
    return await refusal(c, action, e);
  }
}

/**
 * Reads the line `id` of the signed-in customer, or answers the refusal page; a page opened with
 * no line named (a bookmark, an edited address) goes to the account, where every line has its
 * actions.
 */
async function ownLine(c: C, id: string, action: string) {
  if (!id.trim()) return c.redirect("/", 303);
  try {
    return await myLine(c.get("portal").bss, customerOf(c), id);
  } catch (e) {
    return await refusal(c, action, e);
  }
}

async function formField(c: C, name: string): Promise<string> {
  const form = await c.req.parseBody();
  return typeof form[name] === "string" ? (form[name] as string) : "";
}

/** Mounts the line actions. */
export function lineActionRoutes(app: Hono<PortalEnv>): void {
  app.get("/top-up", gate("linked"), async (c) => {
    const id = c.req.query("subscription") ?? "";
    const line = await ownLine(c, id, "top_up_view");
    if (line instanceof Response) return line;
    const blocked = c.req.query("context") === "blocked";
    const vas = await addOns(c.get("portal").bss, customerOf(c));
    const firstData = vas.find((v) => v.allowanceType === "data")?.id;
    return page(
      c,
      "Top up",
      <section class="card">
        <h1>Top up {msisdnText(line.msisdn)}</h1>
        <p>
          {blocked
            ? "Your data is used up. Add data to unblock your line right away."
            : "Add an add-on to this line. It is charged to your default card."}
        </p>
        <Form action={`/top-up?subscription=${line.id}`}>
          <fieldset>
            <legend>Add-on</legend>
            {vas.map((v, i) => (
              <label>
                <input
                  type="radio"
                  name="vas_offering_id"
                  value={v.id}
                  checked={blocked ? v.id === firstData : i === 0}
                  required
                />{" "}
                {v.name ?? v.id} — {v.currency} {Number(v.priceAmount).toFixed(2)}{" "}
                <span class="muted">
                  {v.allowanceQuantity !== null && v.allowanceQuantity >= 0 && v.allowanceUnit
                    ? `+${quantity(v.allowanceQuantity, v.allowanceUnit)}`
                    : `unlimited data for ${v.expiryHours ?? 24} h`}
                </span>
              </label>
            ))}
          </fieldset>
          <div class="actions">
            <button type="submit">Buy</button>
            <a class="button secondary" href="/">Cancel</a>
          </div>
        </Form>
      </section>,
    );
  });

  app.post(
    "/top-up",
    gate("linked"),
    stepUp("vas_purchase"),
    (c) =>
      act(c, "vas_purchase", async () => {
        const id = c.req.query("subscription") ?? "";
        const vas = await formField(c, "vas_offering_id");
        await c.get("portal").bss.run(
          "vas.purchase_for_me",
          { subscription_id: id, vas_offering_id: vas },
          customerOf(c),
        );
        return c.redirect(`/top-up/success?subscription=${id}&vas=${encodeURIComponent(vas)}`, 303);
      }),
  );

  app.get("/top-up/success", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.query("subscription") ?? "", "top_up_success");
    if (line instanceof Response) return line;
    const names = await planNames(c.get("portal").bss, customerOf(c));
    return page(
      c,
      "Topped up",
      <section>
        <p class="form-flash" role="status">Done: your add-on is on the line.</p>
        <LineCard line={lineView(line, names)} csrf={c.get("session")!.csrf} />
        <p>
          <a href="/">Back to your account</a>
        </p>
      </section>,
    );
  });

  app.get("/plan/change", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.query("subscription") ?? "", "plan_change_view");
    if (line instanceof Response) return line;
    const plans = await plansOnSale(c.get("portal").bss, customerOf(c));
    return page(
      c,
      "Switch plan",
      <section>
        <h1>Switch plan for {msisdnText(line.msisdn)}</h1>
        <p>
          The new plan starts at your next renewal. There is no proration: no partial charge and no
          refund for the current period.
        </p>
        <div class="grid">
          {plans.map((p) => (
            <PlanCard plan={p}>
              {p.id === line.offeringId
                ? <p class="muted">Your current plan</p>
                : p.id === line.pendingOfferingId
                ? <p class="muted">Scheduled for your next renewal</p>
                : (
                  <Form action={`/plan/change?subscription=${line.id}`}>
                    <input type="hidden" name="new_offering_id" value={p.id} />
                    <button type="submit" aria-label={`Switch to ${p.name}`}>Switch</button>
                  </Form>
                )}
            </PlanCard>
          ))}
        </div>
      </section>,
    );
  });

  app.post(
    "/plan/change",
    gate("linked"),
    stepUp("plan_change_schedule"),
    (c) =>
      act(c, "plan_change_schedule", async () => {
        const id = c.req.query("subscription") ?? "";
        const plan = await formField(c, "new_offering_id");
        const sub = await c.get("portal").bss.run<{ id: string }>(
          "subscription.schedule_plan_change_mine",
          { subscription_id: id, new_offering_id: plan },
          customerOf(c),
        );
        return c.redirect(`/plan/change/scheduled?subscription=${sub.id}`, 303);
      }),
  );

  app.get("/plan/change/scheduled", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.query("subscription") ?? "", "plan_change_scheduled");
    if (line instanceof Response) return line;
    // What the line says is scheduled, not what the address claims.
    const plan = line.pendingOfferingId;
    if (!plan) return c.redirect("/", 303);
    const names = await planNames(c.get("portal").bss, customerOf(c));
    const at = line.pendingEffectiveAt?.slice(0, 10);
    return page(
      c,
      "Plan change scheduled",
      <section class="card">
        <h1>Plan change scheduled</h1>
        <p>
          {msisdnText(line.msisdn)} switches to <strong>{names.get(plan) ?? plan}</strong>{" "}
          {at ? `on ${at}` : "at your next renewal"}.
        </p>
        <p>
          There is no proration: no partial charge and no refund now. The new price is charged at
          the renewal.
        </p>
        <a href="/">Back to your account</a>
      </section>,
    );
  });

  app.post("/plan/change/cancel", gate("linked"), stepUp("plan_change_cancel"), async (c) => {
    const id = await formField(c, "subscription_id");
    try {
      await c.get("portal").bss.run(
        "subscription.cancel_pending_plan_change_mine",
        { subscription_id: id },
        customerOf(c),
      );
      await recordAction(c, "plan_change_cancel", { success: true });
      return c.redirect("/?flash=plan_change_cancelled", 303);
    } catch (e) {
      return await refusal(c, "plan_change_cancel", e);
    }
  });

  app.get("/subscription/:id/cancel", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.param("id"), "terminate_view");
    if (line instanceof Response) return line;
    if (line.state === "terminated") return c.redirect(`/subscription/${line.id}/cancelled`, 303);
    return page(
      c,
      "Cancel line",
      <section class="card">
        <h1>Cancel {msisdnText(line.msisdn)}?</h1>
        <p>Cancelling ends the line now. You lose:</p>
        <ul class="loss-summary">
          {line.balances.filter(included).map((b) => (
            <li>
              {allowanceName(b.type)}:{" "}
              {b.total === null ? "unlimited" : `${quantity(b.remaining, b.unit)} left`}
            </li>
          ))}
          <li>the rest of the period you paid for (no refund)</li>
          <li>the eSIM (ICCID …{line.iccid.slice(-4)}), which is recycled</li>
          <li>the number {msisdnText(line.msisdn)}, which is released and cannot be kept</li>
        </ul>
        <Form action={`/subscription/${line.id}/cancel`}>
          <div class="actions">
            <button type="submit" class="danger">Cancel this line</button>
            <a class="button secondary" href="/">Keep it</a>
          </div>
        </Form>
      </section>,
    );
  });

  app.post(
    "/subscription/:id/cancel",
    gate("linked"),
    stepUp("subscription_terminate"),
    (c) =>
      act(c, "subscription_terminate", async () => {
        const id = c.req.param("id");
        await c.get("portal").bss.run(
          "subscription.terminate_mine",
          { subscription_id: id },
          customerOf(c),
        );
        return c.redirect(`/subscription/${id}/cancelled`, 303);
      }),
  );

  app.get("/subscription/:id/cancelled", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.param("id"), "terminated_view");
    if (line instanceof Response) return line;
    return page(
      c,
      "Line cancelled",
      <section class="card">
        <h1>Line cancelled</h1>
        <p>
          {msisdnText(line.msisdn)} is {line.state === "terminated" ? "cancelled" : line.state}.
        </p>
        <a href="/">Back to your account</a>
      </section>,
    );
  });

  app.get("/esim/:id", gate("linked"), async (c) => {
    const line = await ownLine(c, c.req.param("id"), "esim_view");
    if (line instanceof Response) return line;
    if (line.state === "terminated") {
      // Its profile was recycled: a QR would invite installing a dead eSIM.
      return page(
        c,
        "Your eSIM",
        <section class="card">
          <h1>eSIM for {msisdnText(line.msisdn)}</h1>
          <p>
            This line was cancelled on{" "}
            {line.terminatedAt?.slice(0, 10)}. Its eSIM was recycled and cannot be installed again.
          </p>
          <a href="/">Back to your account</a>
        </section>,
        410,
      );
    }
    const lpa = await c.get("portal").bss.run<{ activationCode: string }>(
      "subscription.get_lpa_mine",
      { subscription_id: line.id },
      customerOf(c),
    );
    return page(c, "Your eSIM", <EsimPanel code={lpa.activationCode} line={line} />);
  });
}

/** The eSIM's QR and code (ICCID shortened); shown again, not re-armed. */
export function EsimPanel(
  { code, line }: { code: string; line: { msisdn: string; iccid: string } },
) {
  return (
    <section class="card">
      <h1>eSIM for {msisdnText(line.msisdn)}</h1>
      <div class="confirmation-qr">
        <QrSvg text={code} label="eSIM activation QR code" />
      </div>
      <p>Or enter this activation code on your phone:</p>
      <p class="lpa" id="lpa-code">{code}</p>
      <Island name="CopyButton" component={CopyButton} props={{ text: code }} />
      <p class="muted">
        ICCID …{line.iccid.slice(-4)}. Changing phones? The code above is shown again, not renewed:
        contact support to move the eSIM.
      </p>
    </section>
  );
}
