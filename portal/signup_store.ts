/**
 * The signup runs: one per submitted signup form, in memory in this process (a signup is
 * short-lived; its durable effects — customer, card, order — are in the services). Each run
 * moves through the steps in the background, through the same tools as the CLI, and tells
 * its listeners (the stepper's event stream) at each step. A run belongs to the identity
 * that started it: anyone else asking for it gets "not found".
 *
 * @module
 */
import type { Bss } from "./bss.ts";
import { cardName, type Charge, declineText, myCards, myCharges } from "./cards.ts";
import { log } from "./../kernel/log.ts";
import { hasSentence, sentenceFor } from "./messages.ts";

/** A way on from a failed run: a link and its label. */
export interface NextStep {
  href: string;
  label: string;
}

/** What the run's order charged, as the receipt says it. */
export interface Paid {
  amount: string;
  currency: string;
  /** "Visa •••• 4242", or null when the card is no longer listed. */
  card: string | null;
}

/** What a run knows. */
export interface SignupRun {
  id: string;
  identityId: string;
  email: string;
  plan: string;
  msisdn: string;
  name: string;
  phone: string;
  /** Cleared once the card is on file. */
  cardNumber: string;
  /**
   * Set when the card is entered at the payment provider's page (Stripe): where that page
   * sends the customer back, this portal's public address.
   */
  cardEntryBase: string | null;
  /** The provider's page, while the run waits for the customer to enter the card there. */
  cardEntry: string | null;
  /** The form's one-time token: the same form sent twice is one run (a double click). */
  attempt: string;
  customerId: string | null;
  /** Index into the stepper's steps; 5 when active. */
  step: number;
  failed: string | null;
  /** Where the customer can go from a failed run (set with `failed`). */
  next: NextStep[];
  orderId: string | null;
  subscriptionId: string | null;
  /** Set with `subscriptionId`: the activation charge, when it could be read. */
  paid: Paid | null;
  createdAt: number;
  listeners: Set<() => void>;
}

const TTL_MS = 3_600_000;
const ORDER_WAIT_MS = 120_000;

/** The runs of this process. */
export class SignupStore {
  #runs = new Map<string, SignupRun>();
  /** Runs waiting at the provider's card page: how to wake each. */
  #cardEntries = new Map<
    string,
    { resolve(entryId: string): void; reject(reason: CardEntryLeft): void }
  >();

  /** Starts a run (the customer exists, or is created by the run). */
  start(
    bss: Bss,
    init:
      & Pick<
        SignupRun,
        "identityId" | "email" | "plan" | "msisdn" | "name" | "phone" | "attempt"
      >
      & {
        cardNumber: string;
        cardEntryBase: string | null;
        customerId: string | null;
      },
    onCustomer: (customerId: string) => Promise<void>,
  ): SignupRun {
    this.#sweep();
    const again = [...this.#runs.values()].find((r) =>
      r.identityId === init.identityId && r.attempt === init.attempt
    );
    if (again) return again;
    const run: SignupRun = {
      ...init,
      id: crypto.randomUUID().replaceAll("-", ""),
      step: 0,
      cardEntry: null,
      failed: null,
      next: [],
      orderId: null,
      subscriptionId: null,
      paid: null,
      createdAt: Date.now(),
      listeners: new Set(),
    };
    this.#runs.set(run.id, run);
    void this.#drive(bss, run, onCustomer);
    return run;
  }

  /**
   * The customer came back from the provider's page with card entry `entryId` (or, with
   * null, left it without a card): the waiting run goes on. False when none was waiting.
   */
  cardEntryEnded(run: SignupRun, entryId: string | null): boolean {
    const waiting = this.#cardEntries.get(run.id);
    this.#cardEntries.delete(run.id);
    if (entryId === null) waiting?.reject(new CardEntryLeft());
    else waiting?.resolve(entryId);
    return waiting !== undefined;
  }

  /** The run `id` if `identityId` started it. */
  get(id: string, identityId: string): SignupRun | undefined {
    const run = this.#runs.get(id);
    return run && run.identityId === identityId ? run : undefined;
  }

  #sweep() {
    for (const [id, run] of this.#runs) {
      if (Date.now() - run.createdAt <= TTL_MS) continue;
      this.#runs.delete(id);
      // A run still waiting at the provider's card page is let go with it.
      this.#cardEntries.delete(id);
    }
  }

  async #drive(bss: Bss, run: SignupRun, onCustomer: (customerId: string) => Promise<void>) {
    const moved = (step: number, patch: Partial<SignupRun> = {}) => {
      Object.assign(run, patch, { step });
      for (const notify of run.listeners) notify();
    };
    try {
      let customerId = run.customerId;
      if (!customerId) {
        const created = await bss.run<{ id: string }>("customer.create", {
          name: run.name,
          email: run.email,
          phone: run.phone || undefined,
        }, "portal-anon");
        customerId = created.id;
        await onCustomer(customerId);
      }
      moved(1, { customerId });
      await bss.run("customer.attest_kyc", {
        customer_id: customerId,
        provider: "prebaked",
        attestation_token: `prebaked-simulated-v1::${run.email}`,
      }, customerId).catch((e) => {
        // A returning customer is verified already; anything else stops the run.
        if (!String(e?.rule ?? "").includes("already")) throw e;
      });
      moved(2);
      if (run.cardNumber) {
        await bss.run("payment.add_card", {
          customer_id: customerId,
          card_number: run.cardNumber,
        }, customerId);
      } else if (run.cardEntryBase) {
        const back = `${run.cardEntryBase}/signup/card-entry`;
        const entry = await bss.run<{ url: string }>("payment.card_entry_start_mine", {
          return_url: `${back}/return?session=${run.id}`,
          cancel_url: `${back}/left?session=${run.id}`,
        }, customerId);
        // The stepper's stream sends the browser to the provider's page; its return wakes this.
        const entryId = await new Promise<string>((resolve, reject) => {
          this.#cardEntries.set(run.id, { resolve, reject });
          moved(2, { cardEntry: entry.url });
        });
        moved(2, { cardEntry: null });
        await bss.run("payment.card_entry_finish_mine", { entry_id: entryId }, customerId);
      }
      moved(3, { cardNumber: "" });
      // The newest charge before the order: what the order charged comes after it.
      const [before] = await myCharges(bss, customerId, 1);
      const order = await bss.run<{ id: string }>("order.create", {
        customer_id: customerId,
        offering_id: run.plan,
        msisdn_preference: run.msisdn,
      }, customerId);
      moved(4, { orderId: order.id });
      const deadline = Date.now() + ORDER_WAIT_MS;
      for (;;) {
        const o = await bss.run<
          { state: string; productOrderItem: { targetSubscriptionId: string | null }[] }
        >("order.get", { order_id: order.id }, customerId);
        const sub = o.productOrderItem.find((i) => i.targetSubscriptionId)?.targetSubscriptionId;
        if (o.state === "completed" && sub) {
          const charged = await activationCharge(bss, customerId, before?.id, "approved");
          const paid = charged
            ? {
              amount: charged.charge.amount,
              currency: charged.charge.currency,
              card: charged.card,
            }
            : null;
          return moved(5, { subscriptionId: sub, paid });
        }
        if (o.state === "failed" || o.state === "cancelled") {
          return moved(run.step, await orderFailure(bss, run, customerId, before?.id));
        }
        if (Date.now() > deadline) throw new Error(`order ${order.id} still ${o.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (e) {
      log.warn("portal.signup_failed", { run: run.id, error: String(e) });
      const rule = (e as { rule?: string })?.rule;
      moved(
        run.step,
        e instanceof CardEntryLeft
          ? {
            cardEntry: null,
            failed: "You left the card page without adding a card, so no line was set up and " +
              "nothing was charged.",
            next: [{ href: `/signup/${run.plan}?msisdn=${run.msisdn}`, label: "Try again" }],
          }
          : rule?.includes("card") || rule?.includes("payment")
          ? {
            failed: hasSentence(rule)
              ? sentenceFor(rule)
              : "Your card could not be added. Check the number and try again.",
            next: [{ href: `/signup/${run.plan}?msisdn=${run.msisdn}`, label: "Try again" }],
          }
          : {
            failed: "Your signup could not be completed. Please try again from the plans page.",
            next: [{ href: "/plans", label: "Start again" }],
          },
      );
    }
  }
}

/** The customer left the provider's card page without a card. */
class CardEntryLeft extends Error {
  override name = "CardEntryLeft";
}

/**
 * The run's order's activation charge with `status`: the newest such charge newer than the
 * charge `beforeId` (read before the order was placed), with the name of its card.
 */
async function activationCharge(
  bss: Bss,
  customerId: string,
  beforeId: string | undefined,
  status: "approved" | "declined",
): Promise<{ charge: Charge; card: string | null } | undefined> {
  const charges = await myCharges(bss, customerId, 5);
  const cut = beforeId ? charges.findIndex((c) => c.id === beforeId) : -1;
  const since = cut === -1 ? charges : charges.slice(0, cut);
  const charge = since.find((c) => c.purpose === "activation" && c.status === status);
  if (!charge) return undefined;
  const card = (await myCards(bss, customerId)).find((m) => m.id === charge.paymentMethodId);
  return { charge, card: card ? cardName(card) : null };
}

/**
 * Why a run's order failed, as the customer can act on it: their card declined the first
 * charge (with the card and the reason), or the line could not be set up (any charge taken is
 * refunded by the activation's compensation).
 */
async function orderFailure(
  bss: Bss,
  run: SignupRun,
  customerId: string,
  beforeId: string | undefined,
): Promise<Pick<SignupRun, "failed" | "next">> {
  const declined = await activationCharge(bss, customerId, beforeId, "declined");
  const again = { href: `/signup/${run.plan}/msisdn`, label: "Try again" };
  if (!declined) {
    return {
      failed: "Your order did not go through: the line could not be set up. Nothing was " +
        "charged for a line you do not have.",
      next: [again],
    };
  }
  const { charge, card } = declined;
  const reason = charge.declineReason ? ` (${declineText(charge.declineReason)})` : "";
  return {
    failed: `Your card${card ? ` ${card}` : ""} was declined${reason}, so no line ` +
      "was set up and nothing was charged. Add another card and make it your default, then " +
      "try again.",
    next: [{ href: "/payment-methods", label: "Use another card" }, again],
  };
}
