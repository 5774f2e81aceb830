/**
 * The signup funnel: pick a number → details (the email is the signed-in one, never a
 * field) → a run that creates the customer (linked to this identity at once), verifies the
 * identity (prebaked KYC), puts the card on file (mock tokenizer; on the Stripe gateway the
 * stepper sends the visitor to Stripe's card page and their return goes on), places the order and
 * waits for activation — shown as a stepper moved on live — → confirmation with the eSIM's
 * QR (SVG) and LPA code. Runs, their progress and their confirmation are bound to the
 * identity that started them.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { linkIdentity } from "../auth/identities.ts";
import { plansOnSale } from "../catalog.ts";
import { msisdnText } from "../components/format.ts";
import { type Card, cardName, defaultCard } from "../cards.ts";
import { CardAtProviderNote, CardNumberField } from "../components/card_field.tsx";
import { Island } from "../components/island.tsx";
import { PlanCard, type PlanFacts } from "../components/plan_card.tsx";
import { Stepper } from "../components/stepper.tsx";
import type { PortalEnv } from "../env.ts";
import { gate } from "../gates.ts";
import { cardsAtStripe, returnBase } from "../settings.ts";
import ActivationStepper from "../islands/activation_stepper.tsx";
import { lineView, myLine, planNames } from "../lines.ts";
import { Form, page } from "../render.tsx";
import type { SignupRun, SignupStore } from "../signup_store.ts";
import { EsimPanel } from "./line_actions.tsx";

type C = Context<PortalEnv>;

const MSISDN = /^[0-9]{6,15}$/;

async function planOr404(c: C, id: string) {
  const plans = await plansOnSale(c.get("portal").bss, "portal-anon");
  return plans.find((p) => p.id === id);
}

/** What the visitor typed, kept when the form comes back with an error (never the card). */
interface Typed {
  name?: string;
  phone?: string;
}

/** Who signs up: a new customer, or a returning one and the card that will pay. */
interface Signer {
  email: string;
  /** Signed in as a customer already: their name and contact are on file. */
  returning: boolean;
  /** The returning customer's default card, which the order charges: no card is asked for. */
  cardOnFile?: Card;
  /** No card on file and the gateway is Stripe: the card is entered at Stripe's page. */
  cardAtProvider: boolean;
}

/** The signed-in visitor as the details step sees them. */
async function signerOf(c: C): Promise<Signer> {
  const session = c.get("session")!;
  const customerId = session.customerId;
  const { bss, config } = c.get("portal");
  const cardOnFile = customerId ? await defaultCard(bss, customerId) : undefined;
  return {
    email: session.email,
    returning: !!customerId,
    cardOnFile,
    cardAtProvider: !cardOnFile && cardsAtStripe(config),
  };
}

function DetailsForm(
  { plan, msisdn, signer, error, typed = {} }: {
    plan: PlanFacts;
    msisdn: string;
    signer: Signer;
    error?: string;
    typed?: Typed;
  },
) {
  const card = signer.cardOnFile;
  return (
    <Form action="/signup" class="signup-form card">
      {error && <p class="form-flash error" role="alert">{error}</p>}
      <input type="hidden" name="plan" value={plan.id} />
      <input type="hidden" name="msisdn" value={msisdn} />
      <input type="hidden" name="attempt" value={crypto.randomUUID()} />
      <p>
        Number: <strong>{msisdnText(msisdn)}</strong>{" "}
        <a href={`/signup/${plan.id}/msisdn`}>change</a>
      </p>
      <p>
        Email: <strong>{signer.email}</strong>
      </p>
      {!signer.returning && (
        <>
          <label for="name">Full name</label>
          <input
            id="name"
            name="name"
            autocomplete="name"
            required
            maxLength={200}
            value={typed.name}
          />
          <label for="phone">Contact phone</label>
          <input id="phone" name="phone" autocomplete="tel" value={typed.phone ?? "+65"} />
        </>
      )}
      {card
        ? (
          <p>
            Paid with your default card: <strong>{cardName(card)}</strong>{" "}
            (<a href="/payment-methods">change it</a>)
          </p>
        )
        : signer.cardAtProvider
        ? <CardAtProviderNote />
        : <CardNumberField name="card_pan" />}
      {/* What the button costs, said before it is pressed. */}
      <p class="charge-note">
        You pay <strong>{plan.currency} {plan.price}</strong>{" "}
        now for the first month; the line then renews at the plan's price on the same card until you
        cancel it.
      </p>
      <div class="actions">
        <button type="submit" class="form-submit">Order my line</button>
      </div>
    </Form>
  );
}

/** The details step: the plan's name over the form. */
function DetailsPage(
  { plan, ...form }: {
    plan: PlanFacts;
    msisdn: string;
    signer: Signer;
    error?: string;
    typed?: Typed;
  },
) {
  return (
    <section>
      <h1>{plan.name}: your details</h1>
      <DetailsForm plan={plan} {...form} />
    </section>
  );
}

function runState(run: SignupRun) {
  return {
    step: run.step,
    failed: run.failed,
    next: run.next,
    // The line's confirmation once active; before that, the provider's card page while the
    // run waits for the card to be entered there.
    redirect: run.subscriptionId
      ? `/confirmation/${run.subscriptionId}?session=${run.id}`
      : run.cardEntry,
  };
}

/** Mounts the signup funnel on `store`. */
export function signupRoutes(app: Hono<PortalEnv>, store: SignupStore): void {
  // Before `/signup/:plan`, which would take "events" for a plan.
  app.get("/signup/events", gate("verified"), (c) => {
    const run = store.get(c.req.query("session") ?? "", c.get("session")!.identityId);
    if (!run) return c.text("not found", 404);
    return streamSSE(c, async (stream) => {
      let last = "";
      let wake = () => {};
      const notify = () => wake();
      run.listeners.add(notify);
      stream.onAbort(() => wake());
      try {
        while (!stream.aborted) {
          const state = JSON.stringify(runState(run));
          if (state !== last) {
            await stream.writeSSE({ event: "step", data: state });
            last = state;
          }
          if (run.failed || run.subscriptionId) break;
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
        }
      } finally {
        run.listeners.delete(notify);
      }
    });
  });

  // Back from the provider's card page: the waiting run goes on (or, left, stops), and the
  // stepper shows it. A reload finds no run waiting and just shows the stepper.
  app.get("/signup/card-entry/:end{return|left}", gate("verified"), (c) => {
    const run = store.get(c.req.query("session") ?? "", c.get("session")!.identityId);
    if (!run) return c.notFound();
    const entry = c.req.param("end") === "return" ? c.req.query("cs_id") ?? "" : null;
    store.cardEntryEnded(run, entry);
    return c.redirect(`/signup/${run.plan}/progress?session=${run.id}`, 303);
  });

  app.get("/signup/:plan/msisdn", gate("verified"), async (c) => {
    const plan = await planOr404(c, c.req.param("plan"));
    if (!plan) return c.notFound();
    // Digits as people write them: "9000 01" searches 900001, and "+65 9000" (the numbers are
    // shown with the country code) searches 9000.
    const prefix = (c.req.query("prefix") ?? "").replace(/[\s-]/g, "").replace(/^\+65/, "");
    const limit = Number(c.req.query("limit") ?? "12");
    const bad = (prefix !== "" && !/^\d{1,15}$/.test(prefix)) || !(limit >= 1 && limit <= 40);
    const numbers = bad ? [] : await c.get("portal").bss.run<{ msisdn: string }[]>(
      "inventory.msisdn.list_available",
      { prefix: prefix || undefined, limit },
      "portal-anon",
    );
    return page(
      c,
      "Pick a number",
      <section>
        <h1>Pick your number</h1>
        <PlanCard plan={plan} />
        {bad && <p class="form-flash error" role="alert">Digits only, please.</p>}
        {!bad && !numbers.length && (
          <p class="form-flash" role="status">
            {prefix ? `No free number starts with ${prefix}.` : "No free numbers right now."}
          </p>
        )}
        <form class="number-search" method="get" action={`/signup/${plan.id}/msisdn`}>
          <label for="prefix">Numbers starting with</label>
          <input id="prefix" name="prefix" inputmode="numeric" value={prefix} />
          <button type="submit" class="secondary">Search</button>
        </form>
        <div class="numbers">
          {numbers.map((n) => (
            <a class="button secondary msisdn-tile" href={`/signup/${plan.id}?msisdn=${n.msisdn}`}>
              {msisdnText(n.msisdn)}
            </a>
          ))}
        </div>
      </section>,
      bad ? 422 : 200,
    );
  });

  app.get("/signup/:plan", gate("verified"), async (c) => {
    const plan = await planOr404(c, c.req.param("plan"));
    if (!plan) return c.notFound();
    const msisdn = c.req.query("msisdn") ?? "";
    if (!MSISDN.test(msisdn)) return page(c, "Sign up", <p>Pick a number first.</p>, 422);
    return page(
      c,
      "Your details",
      <DetailsPage plan={plan} msisdn={msisdn} signer={await signerOf(c)} />,
    );
  });

  app.post("/signup", gate("verified"), async (c) => {
    const { bss, sql } = c.get("portal");
    const session = c.get("session")!;
    const form = await c.req.parseBody();
    const field = (k: string) => typeof form[k] === "string" ? (form[k] as string).trim() : "";
    const plan = await planOr404(c, field("plan"));
    if (!plan) return c.notFound();
    const msisdn = field("msisdn");
    const signer = await signerOf(c);
    // A returning customer's order charges their default card: a number posted anyway is unused.
    const card = signer.cardOnFile || signer.cardAtProvider
      ? ""
      : field("card_pan").replace(/[\s-]/g, "");
    const name = signer.returning ? "" : field("name");
    const phone = signer.returning ? "" : field("phone").replace(/[\s-]/g, "");
    const error = !MSISDN.test(msisdn)
      ? "Pick a number first."
      : !signer.returning && !name
      ? "Enter your name."
      : !signer.cardOnFile && !signer.cardAtProvider && !/^\d{12,19}$/.test(card)
      ? "That card number is not valid."
      : phone.length > 3 && !/^\+?\d{6,15}$/.test(phone)
      ? "That phone number is not valid."
      : undefined;
    if (error) {
      const body = (
        <DetailsPage
          plan={plan}
          msisdn={msisdn}
          signer={signer}
          error={error}
          typed={{ name: field("name"), phone: field("phone") }}
        />
      );
      return page(c, "Your details", body, 422);
    }
    // A form without its token (scripted) is a run of its own.
    const attempt = /^[0-9a-f-]{36}$/.test(field("attempt"))
      ? field("attempt")
      : crypto.randomUUID();
    const run = store.start(bss, {
      attempt,
      identityId: session.identityId,
      email: session.email,
      plan: plan.id,
      msisdn,
      name,
      phone: phone.length > 3 ? phone : "",
      cardNumber: card,
      cardEntryBase: signer.cardAtProvider ? returnBase(c) : null,
      customerId: session.customerId,
    }, async (customerId) => {
      await linkIdentity(sql, session.identityId, customerId);
    });
    return c.redirect(`/signup/${plan.id}/progress?session=${run.id}`, 303);
  });

  app.get("/signup/:plan/progress", gate("verified"), (c) => {
    const run = store.get(c.req.query("session") ?? "", c.get("session")!.identityId);
    if (!run) return c.notFound();
    const state = runState(run);
    if (state.redirect) return c.redirect(state.redirect, 303);
    return page(
      c,
      "Setting up your line",
      <section class="card">
        <h1>Setting up your line</h1>
        <noscript>
          {!run.failed && <meta http-equiv="refresh" content="2" />}
        </noscript>
        <Island
          name="ActivationStepper"
          component={ActivationStepper}
          props={{ session: run.id, step: run.step, failed: run.failed, next: run.next }}
        />
      </section>,
    );
  });

  app.get("/confirmation/:sub", gate("verified"), async (c) => {
    const session = c.get("session")!;
    const run = store.get(c.req.query("session") ?? "", session.identityId);
    const id = c.req.param("sub");
    if (!run || run.subscriptionId !== id || !run.customerId) return c.notFound();
    const { bss } = c.get("portal");
    const [line, names] = await Promise.all([
      myLine(bss, run.customerId, id),
      planNames(bss, run.customerId),
    ]);
    const { paid } = run;
    const lpa = await bss.run<{ activationCode: string }>(
      "subscription.get_lpa_mine",
      { subscription_id: id },
      run.customerId,
    );
    const view = lineView(line, names);
    return page(
      c,
      "Your line is ready",
      <section>
        <h1>Your line is ready</h1>
        <Stepper step={5} />
        <p>
          {view.planName} · {msisdnText(view.msisdn)} · subscription {id}
        </p>
        {/* A picked number is a preference, not a hold: the order takes another if it went. */}
        {run.msisdn !== view.msisdn && (
          <p class="form-flash" role="status">
            The number you picked, {msisdnText(run.msisdn)}, was no longer free, so your line has
            {" "}
            {msisdnText(view.msisdn)}.
          </p>
        )}
        {paid && (
          <p class="receipt">
            Paid <strong>{paid.currency} {paid.amount}</strong>
            {paid.card ? ` with ${paid.card}` : ""}
            {view.daysToRenewal !== null ? `; the line renews in ${view.daysToRenewal} days` : ""}.
            {" "}
            <a href="/billing/history">Charge history</a>
          </p>
        )}
        <EsimPanel code={lpa.activationCode} line={line} />
        <p>
          <a class="button" href="/">Go to my account</a>
        </p>
      </section>,
    );
  });
}
