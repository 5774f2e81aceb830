/**
 * Contact details: name, mobile number and postal address as CRM holds them, each changed
 * behind its own step-up (`name_update`, `phone_update`, `address_update`) through the same
 * tools as the CLI, for the signed-in customer only; and the email address, which changes only
 * after the code sent to the NEW address is verified (`email_change` step-up to start; then
 * CRM's email medium and the sign-in email both move to it, see `auth/email_change.ts`). An
 * address another portal identity signs in with is refused (at the start and at the code); one
 * another customer holds in CRM is refused when the code is verified (CRM's uniqueness rule:
 * the portal may not look up other customers' addresses).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { PolicyViolation } from "../../kernel/errors.ts";
import { recordAction, refusal } from "../actions.tsx";
import {
  cancelEmailChange,
  checkEmailChange,
  commitEmailChange,
  EMAIL_CHANGE_TTL_S,
  pendingEmail,
  startEmailChange,
} from "../auth/email_change.ts";
import { identityByEmail } from "../auth/identities.ts";
import { stepUp, type StepUpLabel } from "../auth/step_up.ts";
import { CodeField } from "../components/code_field.tsx";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import { SIGN_IN_FAILED } from "../messages.ts";
import { Form, page } from "../render.tsx";

interface Medium {
  id: string;
  mediumType: string;
  value: string;
}

interface Customer {
  engagedParty: { name: string };
  individual: { givenName: string; familyName: string } | null;
  contactMedium: Medium[];
}

const UPDATED: Record<string, string> = {
  name_update: "Your name is updated.",
  phone_update: "Your mobile number is updated.",
  address_update: "Your address is updated.",
  email_change: "Your email address is changed: sign in with the new one from now on.",
  email_change_cancelled: "The email change is cancelled.",
};

/** Runs a contact write for the signed-in customer; a bad value or a rule gets a page. */
async function write(
  c: Context<PortalEnv>,
  label: StepUpLabel,
  tool: string,
  args: Record<string, unknown>,
): Promise<Response> {
  try {
    await c.get("portal").bss.run(tool, { ...args, customer_id: customerOf(c) }, customerOf(c));
    await recordAction(c, label, { success: true });
    return c.redirect(`/profile/contact?flash=${label}`, 303);
  } catch (e) {
    if ((e as Error)?.name !== "ZodError") return await refusal(c, label, e);
    await recordAction(c, label, { success: false, rule: `${label}.invalid` });
    return c.redirect(`/profile/contact?flash=invalid`, 303);
  }
}

/** The form fields of a POST, as strings. */
async function fields(c: Context<PortalEnv>): Promise<Record<string, string>> {
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v).trim()]));
}

const EMAIL_IN_USE = new PolicyViolation(
  "policy.customer.contact_medium.email_in_use",
  "the address is in use",
);

/** Whether another portal identity (not this customer's) signs in with `email`. */
async function signsInElsewhere(c: Context<PortalEnv>, email: string): Promise<boolean> {
  const holder = await identityByEmail(c.get("portal").sql, email);
  return holder !== undefined && holder.customer_id !== c.get("session")!.customerId;
}

/** One labelled input (its name is its id unless given). */
interface Field {
  id: string;
  name?: string;
  label: string;
  autocomplete: string;
  value?: string;
  maxLength?: number;
  type?: string;
  required?: boolean;
}

/** A form of labelled inputs and one submit button. */
function FieldsForm(
  { action, button, fields }: { action: string; button: string; fields: Field[] },
) {
  return (
    <Form action={action}>
      {fields.map(({ label, name, ...input }) => (
        <>
          <label for={input.id}>{label}</label>
          <input name={name ?? input.id} {...input} />
        </>
      ))}
      <div class="actions">
        <button type="submit">{button}</button>
      </div>
    </Form>
  );
}

/** The page asking for the code sent to the new address. */
function VerifyEmail({ to, error }: { to: string; error?: string }) {
  return (
    <section class="card">
      <h1>Check your new inbox</h1>
      <p>We sent a 6-digit code to {to}. Your email address changes once you enter it here.</p>
      {error && <p class="form-flash error" role="alert">{error}</p>}
      <Form action="/profile/contact/email/verify">
        <CodeField />
        <div class="actions">
          <button type="submit">Confirm the new address</button>
        </div>
      </Form>
      <Form action="/profile/contact/email/cancel">
        <button type="submit" class="secondary">Keep my current address</button>
      </Form>
    </section>
  );
}

/** Mounts the contact details pages. */
export function contactRoutes(app: Hono<PortalEnv>): void {
  app.get("/profile/contact", gate("linked"), async (c) => {
    const { bss, sql } = c.get("portal");
    const me = await bss.run<Customer>("customer.get_mine", {}, customerOf(c));
    const medium = (type: string) => me.contactMedium.find((m) => m.mediumType === type);
    const flash = c.req.query("flash") ?? "";
    const pending = await pendingEmail(sql, c.get("session")!.identityId);
    return page(
      c,
      "Contact details",
      <section class="card">
        {UPDATED[flash] && <p class="form-flash" role="status">{UPDATED[flash]}</p>}
        {flash === "invalid" && (
          <p class="form-flash error" role="alert">That value is not valid: check it and retry.</p>
        )}
        <h1>Contact details</h1>
        <FieldsForm
          action="/profile/contact/name/update"
          button="Save name"
          fields={[
            {
              id: "given_name",
              label: "Given name",
              autocomplete: "given-name",
              maxLength: 100,
              value: me.individual?.givenName ?? me.engagedParty.name,
            },
            {
              id: "family_name",
              label: "Family name",
              autocomplete: "family-name",
              maxLength: 100,
              value: me.individual?.familyName ?? "",
            },
          ]}
        />
        <FieldsForm
          action="/profile/contact/phone/update"
          button="Save"
          fields={[{
            id: "value",
            label: "Mobile number",
            autocomplete: "tel",
            value: medium("mobile")?.value ?? "+65",
          }]}
        />
        <FieldsForm
          action="/profile/contact/address/update"
          button="Save address"
          fields={[{
            id: "address",
            name: "value",
            label: "Postal address",
            autocomplete: "street-address",
            maxLength: 200,
            value: medium("postal")?.value ?? "",
          }]}
        />
        <p>Email: {medium("email")?.value ?? "—"}</p>
        {pending
          ? (
            <p class="banner" role="status">
              Waiting for the code sent to {pending}.{" "}
              <a href="/profile/contact/email/verify">Enter it</a>
            </p>
          )
          : (
            <FieldsForm
              action="/profile/contact/email/change"
              button="Change email"
              fields={[{
                id: "new_email",
                label: "New email address",
                autocomplete: "email",
                type: "email",
                required: true,
              }]}
            />
          )}
      </section>,
    );
  });

  app.post("/profile/contact/name/update", gate("linked"), stepUp("name_update"), async (c) => {
    const { given_name, family_name } = await fields(c);
    return await write(c, "name_update", "customer.update_name", {
      given_name: given_name || undefined,
      family_name: family_name || undefined,
    });
  });

  app.post("/profile/contact/phone/update", gate("linked"), stepUp("phone_update"), async (c) => {
    const phone = (await fields(c)).value?.replace(/[\s-]/g, "");
    return await write(c, "phone_update", "customer.update_contact", { phone });
  });

  app.post(
    "/profile/contact/address/update",
    gate("linked"),
    stepUp("address_update"),
    async (c) => {
      const address = (await fields(c)).value || undefined;
      return await write(c, "address_update", "customer.update_contact", { address });
    },
  );

  app.post("/profile/contact/email/change", gate("linked"), stepUp("email_change"), async (c) => {
    const { sql, pepper, mailer } = c.get("portal");
    const session = c.get("session")!;
    const to = ((await fields(c)).new_email ?? "").toLowerCase();
    if (to.length < 3 || !/^[^\s@]+@[^\s@]+$/.test(to)) {
      return c.redirect("/profile/contact?flash=invalid", 303);
    }
    if (to === session.email || await signsInElsewhere(c, to)) {
      return await refusal(c, "email_change", EMAIL_IN_USE);
    }
    const code = await startEmailChange(sql, pepper, session.identityId, to);
    await mailer.sendEmailChange(to, code, EMAIL_CHANGE_TTL_S / 60);
    await recordAction(c, "email_change_started", { success: true });
    return page(c, "Check your new inbox", <VerifyEmail to={to} />);
  });

  app.get("/profile/contact/email/verify", gate("linked"), async (c) => {
    const to = await pendingEmail(c.get("portal").sql, c.get("session")!.identityId);
    if (!to) return c.redirect("/profile/contact", 303);
    return page(c, "Check your new inbox", <VerifyEmail to={to} />);
  });

  app.post("/profile/contact/email/verify", gate("linked"), async (c) => {
    const { sql, pepper, bss } = c.get("portal");
    const session = c.get("session")!;
    const customerId = customerOf(c);
    const code = (await fields(c)).code ?? "";
    const checked = await checkEmailChange(sql, pepper, session.identityId, code);
    if (checked.outcome !== "success") {
      await recordAction(c, "email_change", { success: false, rule: checked.outcome });
      const to = await pendingEmail(sql, session.identityId);
      if (!to) return c.redirect("/profile/contact", 303);
      return page(c, "Check your new inbox", <VerifyEmail to={to} error={SIGN_IN_FAILED} />, 400);
    }
    try {
      // Someone may have started signing in with it since the start.
      if (await signsInElsewhere(c, checked.newEmail)) throw EMAIL_IN_USE;
      // CRM first, so a retry after a failure half-way finds the new address already there.
      const me = await bss.run<Customer>("customer.get_mine", {}, customerId);
      const emails = me.contactMedium.filter((m) => m.mediumType === "email");
      if (!emails.some((m) => m.value === checked.newEmail)) {
        await bss.run("customer.add_contact_medium", {
          customer_id: customerId,
          medium_type: "email",
          value: checked.newEmail,
        }, customerId);
      }
      for (const old of emails.filter((m) => m.value !== checked.newEmail)) {
        await bss.run("customer.remove_contact_medium", {
          customer_id: customerId,
          medium_id: old.id,
        }, customerId);
      }
      await commitEmailChange(sql, checked, session.identityId);
    } catch (e) {
      // CRM refused (the address belongs to another customer): the change is over.
      await cancelEmailChange(sql, session.identityId);
      return await refusal(c, "email_change", e);
    }
    await recordAction(c, "email_change", { success: true });
    return c.redirect("/profile/contact?flash=email_change", 303);
  });

  app.post("/profile/contact/email/cancel", gate("linked"), async (c) => {
    await cancelEmailChange(c.get("portal").sql, c.get("session")!.identityId);
    return c.redirect("/profile/contact?flash=email_change_cancelled", 303);
  });
}
