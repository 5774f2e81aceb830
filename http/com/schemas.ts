/**
 * COM's wire shapes (docs/http.md §8, TMF622 v4 names per docs/decisions.md): ProductOrder with
 * `productOrderItem`, money as decimal strings, instants ISO-8601.
 *
 * @module
 */
import { z } from "zod";
import { paging } from "../paging.ts";
import { ORDER_STATES } from "../../actors/com/model.ts";
import { MsisdnValue } from "../inventory/schemas.ts";
import { tmfVocabulary } from "../tmf.ts";
import { camelOrSnake } from "../payment/snake_case.ts";

/** TMF622's words for our order states. */
export const ORDER_STATE = tmfVocabulary(ORDER_STATES, { in_progress: "inProgress" });

/** The TMF622 API prefix. */
export const TMF622 = "/tmf-api/productOrderingManagement/v4";

const Instant = z.iso.datetime({ offset: true });
const Money = z.string().regex(/^-?\d+\.\d{2}$/);
// Ids travel into other services' paths: only characters every service accepts.
const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "an id is 1–64 letters, digits or _.:-");

/** One order item (no `@type`); `productOffering` is TMF's reference to `offeringId`. */
export const ProductOrderItem = z.object({
  id: z.string(),
  action: z.string(),
  productOffering: z.object({ id: z.string(), "@referredType": z.literal("ProductOffering") }),
  offeringId: z.string(),
  state: z.string(),
  targetSubscriptionId: z.string().nullable(),
  priceAmount: Money.nullable(),
  priceCurrency: z.string().nullable(),
  priceOfferingPriceId: z.string().nullable(),
  discountCode: z.string().nullable(),
  promoOfferDefinitionId: z.string().nullable(),
  discountType: z.string().nullable(),
  discountValue: Money.nullable(),
  discountPeriodsTotal: z.number().int().nullable(),
  promoOfferId: z.string().nullable(),
});

/**
 * TMF622 ProductOrder: the customer as `relatedParty` and `completionDate` in TMF's names, our
 * `customerId`, `completedDate` and the price snapshot on the items as extensions.
 */
export const ProductOrder = z.object({
  "@type": z.literal("ProductOrder"),
  id: z.string(),
  href: z.string(),
  relatedParty: z.array(z.object({
    id: z.string(),
    role: z.literal("Customer"),
    "@referredType": z.literal("Customer"),
  })),
  customerId: z.string(),
  state: ORDER_STATE.schema,
  orderDate: Instant,
  requestedCompletionDate: Instant.nullable(),
  completedDate: Instant.nullable(),
  completionDate: Instant.nullable(),
  msisdnPreference: z.string().nullable(),
  notes: z.string().nullable(),
  paymentMethodId: z.string().nullable(),
  productOrderItem: z.array(ProductOrderItem),
});

/** `POST /productOrder`; promotions are off until a loyalty adapter is wired. */
export const NewProductOrder = z.preprocess(
  fromTmf622,
  camelOrSnake(z.object({
    customerId: Id,
    offeringId: Id,
    msisdnPreference: MsisdnValue.nullish(),
    notes: z.string().max(2000).nullish(),
  })),
);

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * TMF622's `ProductOrder_Create` read as ours, for clients that send the standard shape: the
 * `relatedParty` of role Customer is the customer, the one `productOrderItem` (action `add`)
 * names the offering. A body in our own shape, or one this cannot read, passes unchanged (and
 * is then told what is missing); a second item or another action is refused here.
 */
function fromTmf622(body: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (!isObject(body) || !Array.isArray(body.productOrderItem)) return body;
  const items = body.productOrderItem.filter(isObject);
  if (items.length !== 1 || (items[0].action ?? "add") !== "add") {
    ctx.addIssue({
      code: "custom",
      path: ["productOrderItem"],
      message: "one item, action add: an order makes one new line",
    });
    return body;
  }
  const offering = isObject(items[0].productOffering) ? items[0].productOffering.id : undefined;
  const party = Array.isArray(body.relatedParty)
    ? body.relatedParty.filter(isObject).find((p) => String(p.role).toLowerCase() === "customer")
    : undefined;
  return { customerId: party?.id, offeringId: offering, ...body };
}

/** `GET /productOrder` filters. */
export const OrderQuery = z.object({
  customerId: Id.optional(),
  state: ORDER_STATE.schema.optional(),
  ...paging(50, 200),
});

/** A path id. */
export const OrderParams = z.object({ id: Id });
