/**
 * Number and eSIM inventory tools (docs/cockpit.md §4.2 inventory.*) and number-port requests
 * (port_request.*); both live in the CRM service.
 *
 * @module
 */
import { z } from "zod";
import { MSISDN_STATUSES } from "../actors/inventory/rows.ts";
import { PORT_DIRECTIONS, PORT_STATES } from "../actors/crm/vocab.ts";
import { esimActivationRoute, listEsimRoute } from "../http/inventory/esim.ts";
import {
  addMsisdnRangeRoute,
  countMsisdnRoute,
  getMsisdnRoute,
  listMsisdnRoute,
} from "../http/inventory/msisdn.ts";
import {
  approvePortRequest,
  createPortRequest,
  getPortRequest,
  listPortRequests,
  rejectPortRequest,
} from "../http/crm/port_requests.ts";
import { idOf, limit, SubscriptionId } from "./args.ts";
import { defineTool, OPERATOR, type Tool } from "./tool.ts";

const Prefix = z.string().trim().regex(/^\d{1,15}$/, "digits").describe("Leading digits");
const MsisdnNumber = z.string().trim().regex(/^\d{4,15}$/, "4–15 digits").describe("MSISDN");
const Iccid = z.string().trim().regex(/^\d{18,22}$/, "18–22 digits").describe(
  "ICCID, 18–22 digits, from inventory.esim.list_available or subscription.get",
);
const PortRequestId = idOf("PORT-", "port_request.list");

/** The inventory tools. */
export const inventoryTools: Tool[] = [
  defineTool({
    name: "inventory.msisdn.list_available",
    description: "Numbers in the pool, available by default (status null = any)",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      prefix: Prefix.optional(),
      limit: limit(20),
      status: z.enum(MSISDN_STATUSES).nullable().default("available"),
    }),
    run: ({ prefix, limit, status }, ctx) =>
      ctx.client("crm").call(listMsisdnRoute, {
        query: { prefix, limit, status: status ?? undefined },
      }),
  }),
  defineTool({
    name: "inventory.msisdn.count",
    description: "How many numbers are in each status, optionally under a prefix",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ prefix: Prefix.optional() }),
    run: ({ prefix }, ctx) => ctx.client("crm").call(countMsisdnRoute, { query: { prefix } }),
  }),
  defineTool({
    name: "inventory.msisdn.get",
    description: "One number and its status",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ msisdn: MsisdnNumber }),
    run: ({ msisdn }, ctx) => ctx.client("crm").call(getMsisdnRoute, { params: { msisdn } }),
  }),
  defineTool({
    name: "inventory.msisdn.add_range",
    description: "Add `count` numbers from `{prefix}0000` (existing ones are skipped)",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      prefix: z.string().trim().regex(/^\d{4,7}$/, "4–7 digits"),
      count: z.number().int().min(1).max(10_000),
    }),
    run: (body, ctx) => ctx.client("crm").call(addMsisdnRangeRoute, { body }),
  }),
  defineTool({
    name: "inventory.esim.list_available",
    description: "eSIM profiles ready to be reserved",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ limit: limit(20) }),
    run: ({ limit }, ctx) =>
      ctx.client("crm").call(listEsimRoute, { query: { limit, status: "available" } }),
  }),
  defineTool({
    name: "inventory.esim.get_activation",
    description: "An eSIM's activation code (LPA) for the customer's device",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ iccid: Iccid }),
    run: ({ iccid }, ctx) => ctx.client("crm").call(esimActivationRoute, { params: { iccid } }),
  }),
];

/** The number-port tools. */
export const portRequestTools: Tool[] = [
  defineTool({
    name: "port_request.list",
    description: "Port requests, newest first",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      state: z.enum(PORT_STATES).optional(),
      direction: z.enum(PORT_DIRECTIONS).optional(),
      limit: limit(50),
      offset: z.number().int().min(0).default(0),
    }),
    run: (query, ctx) => ctx.client("crm").call(listPortRequests, { query }),
  }),
  defineTool({
    name: "port_request.get",
    description: "One port request",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ port_request_id: PortRequestId }),
    run: ({ port_request_id }, ctx) =>
      ctx.client("crm").call(getPortRequest, { params: { id: port_request_id } }),
  }),
  defineTool({
    name: "port_request.create",
    description: "Request a number port in or out",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      direction: z.enum(PORT_DIRECTIONS),
      donor_carrier: z.string().trim().min(1).max(100),
      donor_msisdn: MsisdnNumber,
      requested_port_date: z.iso.date().describe("YYYY-MM-DD"),
      target_subscription_id: SubscriptionId.optional(),
    }),
    run: (a, ctx) =>
      ctx.client("crm").call(createPortRequest, {
        body: {
          direction: a.direction,
          donorCarrier: a.donor_carrier,
          donorMsisdn: a.donor_msisdn,
          requestedPortDate: a.requested_port_date,
          targetSubscriptionId: a.target_subscription_id,
        },
      }),
  }),
  defineTool({
    name: "port_request.approve",
    description: "Approve a port request",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ port_request_id: PortRequestId }),
    run: ({ port_request_id }, ctx) =>
      ctx.client("crm").call(approvePortRequest, { params: { id: port_request_id } }),
  }),
  defineTool({
    name: "port_request.reject",
    description: "Reject a port request with a reason",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ port_request_id: PortRequestId, reason: z.string().trim().min(1).max(500) }),
    run: ({ port_request_id, reason }, ctx) =>
      ctx.client("crm").call(rejectPortRequest, {
        params: { id: port_request_id },
        body: { reason },
      }),
  }),
];
