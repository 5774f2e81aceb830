/**
 * Cards and charges: the cards on file (add through the mock tokenizer, or on the Stripe gateway
 * at Stripe's own card page; remove, make default — each behind its step-up; card numbers never
 * enter a stash or a log), and the charge history, 20 a page.
 * A card id from the path is acted on only when it is in the customer's own list.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { recordAction, refusal } from "../actions.tsx";
import { presentedGrant, stepUp, type StepUpLabel } from "../auth/step_up.ts";
import { cardName, declineText, myCards, myCharges } from "../cards.ts";
import { CardAtProviderNote, CardNumberField } from "../components/card_field.tsx";
import { ScrollTable } from "../components/table.tsx";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { Form, page } from "../render.tsx";
import { cardsAtStripe, returnBase } from "../settings.ts";

const PER_PAGE = 20;
const MAX_PAGE = 49;

const PURPOSE: Record<string, string> = {
  activation: "New line",
  renewal: "Renewal",
  vas: "Add-on",
  plan_change: "Plan change",
};

const FLASH: Record<string, string> = {
  added: "Card added.",
  removed: "Card removed.",
  default_set: "That card is now your default.",
};

/** Mounts the card and charge pages. */
export function moneyRoutes(app: Hono<PortalEnv>): void {
  const cards = (c: Parameters<typeof customerOf>[0]) =>
    myCards(c.get("portal").bss, customerOf(c));

  app.get("/payment-methods", gate("linked"), async (c) => {
    const list = (await cards(c)).filter((m) => m.status === "active");
    const flash = FLASH[c.req.query("flash") ?? ""];
    return page(
      c,
      "Payment methods",
      <section>
        {flash && <p class="form-flash" role="status">{flash}</p>}
        <h1>Payment methods</h1>
        <div class="grid">
          {list.map((m) => (
            <article class="card payment-method" data-method={m.id}>
              <h2>{cardName(m)}</h2>
              <p>
                Expires {String(m.expMonth).padStart(2, "0")} / {m.expYear}{" "}
                {m.isDefault && <span class="state active">default</span>}
              </p>
              <div class="actions">
                {!m.isDefault && (
                  <Form action={`/payment-methods/${m.id}/set-default`}>
                    <button type="submit" class="secondary">Make default</button>
                  </Form>
                )}
                <Form action={`/payment-methods/${m.id}/remove`}>
                  <button type="submit" class="secondary">Remove</button>
                </Form>
              </div>
            </article>
          ))}
        </div>
        <p class="actions">
          <a class="button" href="/payment-methods/add">Add a card</a>
          <a href="/">Back to your account</a>
        </p>
      </section>,
    );
  });

  app.get("/payment-methods/add", gate("linked"), (c) =>
    page(
      c,
      "Add a card",
      atProvider(c) ? <AddAtProviderPage /> : (
        <section class="card">
          <h1>Add a card</h1>
          {c.req.query("confirmed") === "1" && (
            <p class="form-flash" role="status">
              Code confirmed. Enter the card number again to add it (it is never kept while you
              confirm); the confirmation lasts a minute.
            </p>
          )}
          {c.req.query("empty") === "1" && (
            <p class="form-flash error" role="alert">Enter a card number.</p>
          )}
          <Form action="/payment-methods/add">
            <CardNumberField name="card_number" />
            <div class="actions">
              <button type="submit">Add card</button>
            </div>
          </Form>
        </section>
      ),
    ));

  app.post(
    "/payment-methods/add",
    gate("linked"),
    // The step-up replay never carries the card number (it is never stashed): ask for it again
    // before the grant is spent, so that the next post, with the number, spends it. At Stripe's
    // page there is no number to carry.
    async (c, next) => {
      if (atProvider(c)) return await next();
      const form = await c.req.parseBody();
      if (String(form.card_number ?? "").trim()) return await next();
      const replay = presentedGrant(c, form) !== undefined;
      return c.redirect(`/payment-methods/add?${replay ? "confirmed" : "empty"}=1`, 303);
    },
    stepUp("payment_method_add"),
    async (c) => {
      if (atProvider(c)) {
        const back = `${returnBase(c)}/payment-methods`;
        try {
          const entry = await c.get("portal").bss.run<{ url: string }>(
            "payment.card_entry_start_mine",
            { return_url: `${back}/add/return`, cancel_url: back },
            customerOf(c),
          );
          return c.redirect(entry.url, 303);
        } catch (e) {
          return await refusal(c, "payment_method_add", e);
        }
      }
      const form = await c.req.parseBody();
      const number = String(form.card_number).replace(/[\s-]/g, "");
      try {
        await c.get("portal").bss.run(
          "payment.add_card",
          { customer_id: customerOf(c), card_number: number },
          customerOf(c),
        );
        await recordAction(c, "payment_method_add", { success: true });
        return c.redirect("/payment-methods?flash=added", 303);
      } catch (e) {
        return await refusal(c, "payment_method_add", e);
      }
    },
  );

  // Back from Stripe's card page (the step-up was passed before going there).
  app.get("/payment-methods/add/return", gate("linked"), async (c) => {
    try {
      await c.get("portal").bss.run(
        "payment.card_entry_finish_mine",
        { entry_id: c.req.query("cs_id") ?? "" },
        customerOf(c),
      );
      await recordAction(c, "payment_method_add", { success: true });
      return c.redirect("/payment-methods?flash=added", 303);
    } catch (e) {
      return await refusal(c, "payment_method_add", e);
    }
  });

  /** A write on one of the customer's own cards (`:pm`, checked against their list). */
  const onOwnCard = (label: StepUpLabel, tool: string, flash: string) =>
    app.post(
      `/payment-methods/:pm/${label === "payment_method_remove" ? "remove" : "set-default"}`,
      gate("linked"),
      stepUp(label),
      async (c) => {
        const id = c.req.param("pm");
        try {
          if (!(await cards(c)).some((m) => m.id === id)) {
            throw new PolicyViolation(
              "policy.ownership.payment_method_not_owned",
              `payment method ${id} is not yours`,
            );
          }
          await c.get("portal").bss.run(tool, { method_id: id }, customerOf(c));
          await recordAction(c, label, { success: true });
          return c.redirect(`/payment-methods?flash=${flash}`, 303);
        } catch (e) {
          return await refusal(c, label, e);
        }
      },
    );
  onOwnCard("payment_method_remove", "payment.remove_method", "removed");
  onOwnCard("payment_method_set_default", "payment.set_default_method", "default_set");

  app.get("/billing/history", gate("linked"), async (c) => {
    const pageNo = Math.min(Math.max(Number(c.req.query("page") ?? "0") || 0, 0), MAX_PAGE);
    const limit = (pageNo + 1) * PER_PAGE + 1;
    const [all, methods] = await Promise.all([
      myCharges(c.get("portal").bss, customerOf(c), limit),
      cards(c),
    ]);
    const rows = all.slice(pageNo * PER_PAGE, (pageNo + 1) * PER_PAGE);
    const names = new Map(methods.map((m) => [m.id, cardName(m)]));
    return page(
      c,
      "Charge history",
      <section>
        <h1>Charge history</h1>
        <ScrollTable head={["Date", "What", "Amount", "Status", "Card", "Reference"]}>
          {rows.map((r) => (
            <tr class="charge-row">
              <td class="nowrap">{r.attemptedAt.slice(0, 10)}</td>
              <td>{PURPOSE[r.purpose] ?? r.purpose}</td>
              <td class="nowrap">{r.currency} {r.amount}</td>
              <td>{r.status}{r.declineReason ? ` (${declineText(r.declineReason)})` : ""}</td>
              <td class="nowrap">{names.get(r.paymentMethodId) ?? ""}</td>
              <td class="charge-ref">{r.gatewayRef ?? ""}</td>
            </tr>
          ))}
        </ScrollTable>
        <p class="actions">
          {pageNo > 0 && <a href={`/billing/history?page=${pageNo - 1}`}>Newer</a>}
          <span class="muted">Page {pageNo + 1}</span>
          {all.length > (pageNo + 1) * PER_PAGE && pageNo < MAX_PAGE && (
            <a href={`/billing/history?page=${pageNo + 1}`}>Older</a>
          )}
          <a href="/">Back to your account</a>
        </p>
      </section>,
    );
  });
}

/** Whether this portal's cards are entered at Stripe's page (the Stripe gateway). */
function atProvider(c: Context<PortalEnv>): boolean {
  return cardsAtStripe(c.get("portal").config);
}

/** The add-card page on the Stripe gateway: a button to Stripe's card page. */
function AddAtProviderPage() {
  return (
    <section class="card">
      <h1>Add a card</h1>
      <CardAtProviderNote />
      <Form action="/payment-methods/add">
        <div class="actions">
          <button type="submit">Continue to Stripe</button>
          <a href="/payment-methods">Back to your cards</a>
        </div>
      </Form>
    </section>
  );
}
