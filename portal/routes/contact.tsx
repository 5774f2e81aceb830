/**
 * Contact details: name, email and mobile as CRM holds them, and a mobile number change behind
 * the `phone_update` step-up, through the same tool as the CLI for the signed-in customer.
 *
 * @module
 */
import type { Hono } from "hono";
import { recordAction, refusal } from "../actions.tsx";
import { stepUp } from "../auth/step_up.ts";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import { Form, page } from "../render.tsx";

interface Customer {
  engagedParty: { name: string };
  contactMedium: { mediumType: string; value: string }[];
}

/** Mounts the contact details page. */
export function contactRoutes(app: Hono<PortalEnv>): void {
  app.get("/profile/contact", gate("linked"), async (c) => {
    const me = await c.get("portal").bss.run<Customer>("customer.get_mine", {}, customerOf(c));
    const medium = (type: string) => me.contactMedium.find((m) => m.mediumType === type)?.value;
    const updated = c.req.query("flash") === "phone_update";
    return page(
      c,
      "Contact details",
      <section class="card">
        {updated && <p class="form-flash" role="status">Your mobile number is updated.</p>}
        <h1>Contact details</h1>
        <p>Name: {me.engagedParty.name}</p>
        <p>Email: {medium("email") ?? "—"}</p>
        <Form action="/profile/contact/phone/update">
          <label for="value">Mobile number</label>
          <input id="value" name="value" autocomplete="tel" value={medium("mobile") ?? "+65"} />
          <div class="actions">
            <button type="submit">Save</button>
          </div>
        </Form>
      </section>,
    );
  });

  app.post("/profile/contact/phone/update", gate("linked"), stepUp("phone_update"), async (c) => {
    const form = await c.req.parseBody();
    const phone = String(form.value ?? "").replace(/[\s-]/g, "");
    try {
      await c.get("portal").bss.run(
        "customer.update_contact",
        { customer_id: customerOf(c), phone },
        customerOf(c),
      );
      await recordAction(c, "phone_update", { success: true });
      return c.redirect("/profile/contact?flash=phone_update", 303);
    } catch (e) {
      if ((e as Error)?.name === "ZodError") {
        await recordAction(c, "phone_update", { success: false, rule: "phone.invalid" });
        return c.redirect("/profile/contact", 303);
      }
      return await refusal(c, "phone_update", e);
    }
  });
}
