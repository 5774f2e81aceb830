/**
 * TMF629 contact media of a customer (docs/http.md §6.1): add, change a value (never an email:
 * that has its own verified flow), remove. Writes go to the customer actor.
 *
 * @module
 */
import { z } from "zod";
import { askCustomer } from "../../actors/crm/customer_commands.ts";
import type { ContactMediumView } from "../../actors/crm/customer_queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { ContactMedium, NewContactMedium } from "./customer_schemas.ts";
import { Text } from "./wire.ts";

const PATH = "/tmf-api/customerManagement/v4/customer/:id/contactMedium";

/** `POST /customer/{id}/contactMedium`. */
export const addContactMedium = defineRoute({
  method: "POST",
  path: PATH,
  summary: "Add a contact medium (a live email address belongs to one customer)",
  params: z.object({ id: z.string() }),
  body: NewContactMedium,
  response: ContactMedium,
  status: 201,
});

/** `PATCH /customer/{id}/contactMedium/{cmId}`: a new value (not for email media). */
export const updateContactMedium = defineRoute({
  method: "PATCH",
  path: `${PATH}/:cmId`,
  summary: "Change a contact medium's value (email addresses use the change flow)",
  params: z.object({ id: z.string(), cmId: z.string() }),
  body: z.object({ value: Text.max(200) }),
  response: ContactMedium,
});

/** `DELETE /customer/{id}/contactMedium/{cmId}`. */
export const removeContactMedium = defineRoute({
  method: "DELETE",
  path: `${PATH}/:cmId`,
  summary: "Remove a contact medium",
  params: z.object({ id: z.string(), cmId: z.string() }),
  response: z.void(),
  status: 204,
});

/** The contact medium endpoints. */
export function contactMediumEndpoints(deps: Pick<Deps, "sql" | "system">): Endpoint[] {
  return [
    endpoint(addContactMedium, async ({ params, body }, c) => {
      const cm = await askCustomer<ContactMediumView>(deps, params.id, {
        type: "add_contact_medium",
        ...body,
      });
      c.header(
        "Location",
        `/tmf-api/customerManagement/v4/customer/${params.id}/contactMedium/${cm.id}`,
      );
      return cm;
    }),
    endpoint(
      updateContactMedium,
      ({ params, body }) =>
        askCustomer<ContactMediumView>(deps, params.id, {
          type: "update_contact_medium",
          cmId: params.cmId,
          value: body.value,
        }),
    ),
    endpoint(removeContactMedium, async ({ params }) => {
      await askCustomer(deps, params.id, { type: "remove_contact_medium", cmId: params.cmId });
    }),
  ];
}
