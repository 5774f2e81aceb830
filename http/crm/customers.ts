/**
 * TMF629 Customer (docs/http.md §6.1): create, list, find by email, read, change status, change
 * names. Writes go to the customer actor. `GET /customer/by-msisdn/{msisdn}` is not served:
 * it needs the subscription service's MSISDN → subscription lookup.
 *
 * @module
 */
import { z } from "zod";
import { askCustomer, createCustomer as create } from "../../actors/crm/customer_commands.ts";
import * as customers from "../../actors/crm/customer_queries.ts";
import { CUSTOMER_STATUSES } from "../../actors/crm/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Customer, NewContactMedium } from "./customer_schemas.ts";
import { acceptSnakeCase, someField, Text } from "./wire.ts";
import { paging } from "../paging.ts";

const PREFIX = "/tmf-api/customerManagement/v4";

const Id = z.object({ id: z.string() });

/** `POST /customer`: an individual with at least one contact medium; `active` at once. */
export const createCustomer = defineRoute({
  method: "POST",
  path: `${PREFIX}/customer`,
  summary: "Create a customer (active) with its individual and contact media",
  body: acceptSnakeCase(z.object({
    givenName: Text.max(100),
    familyName: Text.max(100),
    dateOfBirth: z.iso.date().optional(),
    contactMedium: z.array(NewContactMedium).default([]),
  })),
  response: Customer,
  tmf: "Customer",
  status: 201,
});

/** `GET /customer`: by id, optionally by status and name substring. */
export const listCustomers = defineRoute({
  method: "GET",
  path: `${PREFIX}/customer`,
  summary: "Customers by id; filter by status and name substring",
  query: z.object({
    status: z.enum(CUSTOMER_STATUSES).optional(),
    name: z.string().optional(),
    ...paging(20),
  }),
  response: z.array(Customer),
  tmf: "Customer",
});

/** `GET /customer/by-email`: the owner of a live email medium. */
export const customerByEmail = defineRoute({
  method: "GET",
  path: `${PREFIX}/customer/by-email`,
  summary: "The customer with this live email address",
  query: z.object({ email: Text }),
  response: Customer,
  tmf: "Customer",
});

/** `GET /customer/{id}`. */
export const getCustomer = defineRoute({
  method: "GET",
  path: `${PREFIX}/customer/:id`,
  summary: "One customer",
  params: Id,
  response: Customer,
  tmf: "Customer",
});

/** `PATCH /customer/{id}`: status and/or reason (leaving `active` needs no live lines). */
export const updateCustomer = defineRoute({
  method: "PATCH",
  path: `${PREFIX}/customer/:id`,
  summary: "Change a customer's status (closing checks live subscriptions)",
  params: Id,
  body: acceptSnakeCase(someField(z.object({
    status: z.enum(CUSTOMER_STATUSES).optional(),
    statusReason: z.string().nullable().optional(),
  }))),
  response: Customer,
  tmf: "Customer",
});

/** `PATCH /customer/{id}/individual`: given and/or family name. */
export const updateIndividual = defineRoute({
  method: "PATCH",
  path: `${PREFIX}/customer/:id/individual`,
  summary: "Change a customer's names",
  params: Id,
  body: acceptSnakeCase(z.object({
    givenName: Text.max(100).optional(),
    familyName: Text.max(100).optional(),
  })),
  response: Customer,
  tmf: "Customer",
});

/** The customer endpoints (static paths before `/customer/:id`). */
export function customerEndpoints({ sql, system }: Pick<Deps, "sql" | "system">): Endpoint[] {
  const deps = { sql, system };
  return [
    endpoint(createCustomer, async ({ body }, c) => {
      const customer = await create(deps, { ...body, dateOfBirth: body.dateOfBirth ?? null });
      c.header("Location", customer.href);
      return customer;
    }),
    endpoint(
      listCustomers,
      ({ query }) => customers.listCustomers(sql, query),
      ({ query }) => customers.countCustomers(sql, query),
    ),
    endpoint(customerByEmail, async ({ query }) => {
      const customer = await customers.customerByEmail(sql, query.email);
      if (!customer) throw new NotFound("Customer", query.email);
      return customer;
    }),
    endpoint(getCustomer, async ({ params }) => {
      const customer = await customers.getCustomer(sql, params.id);
      if (!customer) throw new NotFound("Customer", params.id);
      return customer;
    }),
    endpoint(
      updateCustomer,
      ({ params, body }) => askCustomer(deps, params.id, { type: "update", ...body }),
    ),
    endpoint(
      updateIndividual,
      ({ params, body }) => askCustomer(deps, params.id, { type: "update_individual", ...body }),
    ),
  ];
}
