/**
 * Customers: the search (an id, a line's number or an email goes straight to the customer;
 * other words search names), the list, and the customer 360 — contact, KYC, lines with what is
 * left of each allowance, orders, cases, cards, recent interactions — with logging an
 * interaction and opening a case.
 *
 * @module
 */
import type { Hono } from "hono";
import { CASE_CATEGORIES, KYC_PROVIDERS, PRIORITIES } from "../../../actors/crm/vocab.ts";
import { type Card, cardName } from "../../cards.ts";
import { allowanceName, localDigits, msisdnText, quantity } from "../../components/format.ts";
import { ScrollTable } from "../../components/table.tsx";
import { Form } from "../../render.tsx";
import { writeRoute, written } from "../app.tsx";
import { CaseTable } from "./cases.tsx";
import type { CsrEnv } from "../env.ts";
import { cardsAtStripe } from "../../settings.ts";
import { DangerConfirm, OnceForm, page } from "../render.tsx";
import type { Plan } from "./lines.tsx";
import type { CaseRow, Customer, Line } from "./shapes.ts";
import { when } from "./shapes.ts";

interface Order {
  id: string;
  state: string;
  orderDate: string;
  productOrderItem: { offeringId: string; targetSubscriptionId: string | null }[];
}

interface Interaction {
  id: string;
  summary: string;
  channel: string | null;
  actor: string | null;
  occurredAt: string;
}

/** Where a search term leads: a customer id, else a line's number, else an email, else names. */
function searchKind(q: string): "id" | "msisdn" | "email" | "name" {
  if (/^CUST-\w+$/i.test(q)) return "id";
  if (/^\+?[\d\s-]{6,}$/.test(q)) return "msisdn";
  if (/^[^@\s]+@[^@\s]+$/.test(q)) return "email";
  return "name";
}

/** The balances of a line as `Data 4.5 GB of 5 GB`. */
export function Balances({ line }: { line: Line }) {
  const shown = line.balances.filter((b) => b.total !== 0);
  if (!shown.length) return <>—</>;
  return (
    <>
      {shown.map((b, i) => (
        <span class="balance" key={b.type}>
          {i > 0 && " · "}
          {allowanceName(b.type)} {quantity(b.remaining, b.unit)}
          {b.total !== null && b.total >= 0 ? ` of ${quantity(b.total, b.unit)}` : ""}
        </span>
      ))}
    </>
  );
}

/**
 * Putting a card on file: a sandbox card number (the mock gateway tokenises it here, nothing of
 * it is kept), or on the Stripe gateway the PaymentMethod id the customer entered at Stripe.
 */
function AddCard({ customerId, atStripe }: { customerId: string; atStripe: boolean }) {
  return atStripe
    ? (
      <Form action={`/customers/${customerId}/stripe-card`} class="inline">
        <label for="payment_method">Add a card entered at Stripe</label>
        <input id="payment_method" name="payment_method" required placeholder="pm_…" />
        <button type="submit" class="secondary">Add card</button>
      </Form>
    )
    : (
      <Form action={`/customers/${customerId}/card`} class="inline">
        <label for="card_number">Add a card</label>
        <input
          id="card_number"
          name="card_number"
          inputmode="numeric"
          autocomplete="off"
          required
        />
        <button type="submit" class="secondary">Add card</button>
      </Form>
    );
}

/** The customer's name and contact media, each editable; a removal is a danger section. */
function Contacts({ customer }: { customer: Customer }) {
  const at = `/customers/${customer.id}`;
  return (
    <>
      <ul class="contacts">
        {customer.contactMedium.map((m) => (
          <li key={m.id}>
            {m.mediumType}: {m.value}
            {m.isPrimary ? " (primary)" : ""}
            <DangerConfirm
              action={`${at}/contact/remove`}
              label={`Remove ${m.value}`}
              consequence="The customer is no longer reached there (their sign-in email too, if it is)."
            >
              <input type="hidden" name="medium_id" value={m.id} />
            </DangerConfirm>
          </li>
        ))}
      </ul>
      <details>
        <summary>Edit name or contacts…</summary>
        <Form action={`${at}/name`} class="inline">
          <label for="given_name">Given name</label>
          <input id="given_name" name="given_name" maxLength={100} />
          <label for="family_name">Family name</label>
          <input id="family_name" name="family_name" maxLength={100} />
          <button type="submit" class="secondary">Rename</button>
        </Form>
        <Form action={`${at}/contact`} class="inline">
          <label for="medium_type">Add</label>
          <select id="medium_type" name="medium_type">
            <option value="email">email</option>
            <option value="mobile">mobile</option>
            <option value="address">address</option>
          </select>
          <input name="value" required maxLength={200} aria-label="Contact" />
          <button type="submit" class="secondary">Add contact</button>
        </Form>
      </details>
    </>
  );
}

/** Mounts the customer pages. */
export function customerRoutes(app: Hono<CsrEnv>): void {
  app.get("/", async (c) => {
    const { bss } = c.get("crm");
    const q = (c.req.query("q") ?? "").trim();
    const kind = q ? searchKind(q) : "name";
    if (kind === "id") return c.redirect(`/customers/${q.toUpperCase()}`, 303);
    if (kind !== "name") {
      const args = kind === "email" ? { email: q } : { msisdn: localDigits(q) };
      const found = await bss.run<Customer>(`customer.find_by_${kind}`, args).catch(() => null);
      if (found) return c.redirect(`/customers/${found.id}`, 303);
    }
    const customers = kind === "name"
      ? await bss.run<Customer[]>("customer.list", { name_contains: q || undefined, limit: 50 })
      : [];
    return page(
      c,
      "Customers",
      <section>
        <h1>{q ? `Customers matching “${q}”` : "Customers"}</h1>
        {customers.length === 0
          ? <p>No customer matches. Search by name, email, a line's number or CUST-….</p>
          : (
            <ScrollTable head={["Customer", "Name", "Status", "KYC", "Since"]}>
              {customers.map((x) => (
                <tr key={x.id}>
                  <td>
                    <a href={`/customers/${x.id}`}>{x.id}</a>
                  </td>
                  <td>{x.name}</td>
                  <td>{x.status}</td>
                  <td>{x.kycStatus}</td>
                  <td>{when(x.customerSince)}</td>
                </tr>
              ))}
            </ScrollTable>
          )}
        <details>
          <summary>New customer…</summary>
          <Form action="/customers" class="card">
            <label for="name">Full name</label>
            <input id="name" name="name" required maxLength={200} />
            <label for="email">Email</label>
            <input id="email" name="email" type="email" />
            <label for="phone">Mobile</label>
            <input id="phone" name="phone" placeholder="+65 9123 4567" />
            <button type="submit">Create</button>
          </Form>
        </details>
      </section>,
    );
  });

  app.post(
    "/customers",
    (c) =>
      written(c, "/", "Customer created.", (f) =>
        c.get("crm").bss.run("customer.create", {
          name: f.name,
          email: f.email || undefined,
          phone: f.phone.replace(/[\s-]/g, "") || undefined,
        }), { next: (made) => `/customers/${(made as { id: string }).id}` }),
  );

  app.get("/customers/:id", async (c) => {
    const { bss } = c.get("crm");
    const id = c.req.param("id");
    const customer = await bss.run<
      Customer & {
        _extras: { subscriptions?: Line[]; cases?: CaseRow[]; interactions?: Interaction[] };
      }
    >("customer.get", { customer_id: id });
    const [orders, cards, plans] = await Promise.all([
      bss.run<Order[]>("order.list", { customer_id: id, limit: 20 }).catch(() => null),
      bss.run<Card[]>("payment.list_methods", { customer_id: id }).catch(() => null),
      bss.run<Plan[]>("catalog.list_active_offerings", {}).catch(() => []),
    ]);
    const { subscriptions: lines, cases, interactions } = customer._extras;
    return page(
      c,
      customer.name,
      <section class="customer-360">
        <h1>
          {customer.name} <small>{customer.id}</small>
        </h1>
        <p>
          Status <strong>{customer.status}</strong> · KYC <strong>{customer.kycStatus}</strong>{" "}
          · customer since {when(customer.customerSince)} ·{" "}
          <a href={`/ask?about=${customer.id}`}>Ask the agent about this customer</a>
        </p>
        {customer.kycStatus !== "verified" && (
          <Form action={`/customers/${customer.id}/kyc`} class="inline">
            <label for="provider">Verify identity with</label>
            <select id="provider" name="provider">
              {KYC_PROVIDERS.filter((p) =>
                p !== "didit"
              ).map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
            <input
              name="attestation_token"
              required
              aria-label="Attestation token"
              placeholder="Attestation token"
            />
            <button type="submit" class="secondary">Verify</button>
          </Form>
        )}
        <Contacts customer={customer} />

        <h2>Lines</h2>
        {lines === undefined || lines === null
          ? <p class="muted">The subscription service did not answer.</p>
          : lines.length === 0
          ? <p>No lines.</p>
          : (
            <ScrollTable head={["Line", "Plan", "Number", "State", "Left", "Renews"]}>
              {lines.map((l) => (
                <tr key={l.id}>
                  <td>
                    <a href={`/subscriptions/${l.id}`}>{l.id}</a>
                  </td>
                  <td>{l.offeringId}</td>
                  <td>{msisdnText(l.msisdn)}</td>
                  <td>{l.state}</td>
                  <td>
                    <Balances line={l} />
                  </td>
                  <td>{when(l.nextRenewalAt)}</td>
                </tr>
              ))}
            </ScrollTable>
          )}

        <h2>Cases</h2>
        <CaseTable cases={cases ?? []} />
        <details>
          <summary>Open a case…</summary>
          <Form action={`/customers/${customer.id}/case`} class="card">
            <label for="subject">Subject</label>
            <input id="subject" name="subject" required maxLength={200} />
            <label for="category">Category</label>
            <select id="category" name="category">
              {CASE_CATEGORIES.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
            <label for="priority">Priority</label>
            <select id="priority" name="priority">
              {PRIORITIES.map((p) => (
                <option key={p} value={p} selected={p === "medium"}>{p}</option>
              ))}
            </select>
            <button type="submit">Open case</button>
          </Form>
        </details>

        <h2>Orders</h2>
        {orders === null
          ? <p class="muted">The order service did not answer.</p>
          : !orders.length
          ? <p>No orders.</p>
          : (
            <ScrollTable head={["Order", "Plan", "State", "Placed", "Line"]}>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <a href={`/orders/${o.id}`}>{o.id}</a>
                  </td>
                  <td>{o.productOrderItem.map((i) => i.offeringId).join(", ")}</td>
                  <td>{o.state}</td>
                  <td>{when(o.orderDate)}</td>
                  <td>{o.productOrderItem.map((i) => i.targetSubscriptionId ?? "—").join(", ")}</td>
                </tr>
              ))}
            </ScrollTable>
          )}

        {customer.status === "active" && (
          <OnceForm action={`/customers/${customer.id}/order`} class="inline">
            <label for="offering">New line</label>
            <select id="offering" name="offering_id">
              {plans.map((p) => <option key={p.id} value={p.id}>{p.name ?? p.id}</option>)}
            </select>
            <input
              name="msisdn"
              aria-label="Number wanted (optional)"
              placeholder="Number (optional)"
            />
            <button type="submit">Order</button>
          </OnceForm>
        )}

        <h2>Cards</h2>
        {cards === null
          ? <p class="muted">The payment service did not answer.</p>
          : !cards.length
          ? <p>No cards on file.</p>
          : (
            <ul>
              {cards.map((m) => (
                <li key={m.id}>
                  {cardName(m)}, expires {m.expMonth}/{m.expYear}
                  {m.isDefault ? " (default)" : ""}
                </li>
              ))}
            </ul>
          )}

        <AddCard
          customerId={customer.id}
          atStripe={cardsAtStripe(c.get("crm").config)}
        />

        <h2>Interactions</h2>
        {!interactions?.length ? <p>None logged.</p> : (
          <ul class="interactions">
            {interactions.map((i) => (
              <li key={i.id}>
                {when(i.occurredAt)} · {i.summary}
                <span class="muted">{` (${i.actor ?? "—"} on ${i.channel ?? "—"})`}</span>
              </li>
            ))}
          </ul>
        )}
        <Form action={`/customers/${customer.id}/interaction`} class="inline">
          <label for="summary">Log an interaction</label>
          <input id="summary" name="summary" required maxLength={1000} />
          <button type="submit" class="secondary">Log</button>
        </Form>
      </section>,
    );
  });

  writeRoute(app, "/customers/:id/kyc", "Identity verified.", "customer.attest_kyc", (id, f) => ({
    customer_id: id,
    provider: f.provider,
    attestation_token: f.attestation_token,
  }));
  // A card number is tokenised in this process and never kept (as by `bss payment add-card`).
  writeRoute(app, "/customers/:id/card", "Card added.", "payment.add_card", (id, f) => ({
    customer_id: id,
    card_number: f.card_number.replace(/[\s-]/g, ""),
  }));
  writeRoute(app, "/customers/:id/stripe-card", "Card added.", "payment.add_stripe_card", (
    id,
    f,
  ) => ({ customer_id: id, payment_method: f.payment_method }));
  writeRoute(app, "/customers/:id/name", "Name changed.", "customer.update_name", (id, f) => ({
    customer_id: id,
    given_name: f.given_name || undefined,
    family_name: f.family_name || undefined,
  }));
  writeRoute(app, "/customers/:id/contact", "Contact added.", "customer.add_contact_medium", (
    id,
    f,
  ) => ({ customer_id: id, medium_type: f.medium_type, value: f.value }));
  writeRoute(
    app,
    "/customers/:id/contact/remove",
    "Contact removed.",
    "customer.remove_contact_medium",
    (
      id,
      f,
    ) => ({ customer_id: id, medium_id: f.medium_id }),
    { confirm: true },
  );
  writeRoute(app, "/customers/:id/interaction", "Interaction logged.", "interaction.log", (
    id,
    f,
  ) => ({ customer_id: id, summary: f.summary }));
  writeRoute(app, "/customers/:id/order", "Order placed.", "order.create", (id, f) => ({
    customer_id: id,
    offering_id: f.offering_id,
    msisdn_preference: localDigits(f.msisdn) || undefined,
  }));
  writeRoute(app, "/customers/:id/case", "Case opened.", "case.open", (id, f) => ({
    customer_id: id,
    subject: f.subject,
    category: f.category || undefined,
    priority: f.priority || undefined,
  }));
}
