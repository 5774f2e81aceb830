/**
 * Rating's consumer parts without a bus: the `rating.usage.recorded` binding (routing, the
 * payload contract, poison payloads) and `rateRecorded` (an offering the catalog does not
 * know is a refusal; any other tariff failure propagates so the turn is retried).
 */
import assert from "node:assert/strict";
import { usageRecordedBinding } from "../actors/rating/binding.ts";
import { rateRecorded } from "../actors/rating/rating_kind.ts";
import type { UsageRecorded } from "../actors/mediation/events.ts";
import { NotFound } from "../kernel/errors.ts";
import { HttpError } from "../http/errors.ts";

const USAGE: UsageRecorded = {
  usageEventId: "UE-000007",
  subscriptionId: "SUB-0007",
  msisdn: "90000007",
  eventType: "data",
  eventTime: "2026-03-01T10:00:00.000Z",
  quantity: 12,
  unit: "mb",
  source: null,
  rawCdrRef: null,
  roamingIndicator: false,
  offeringId: "PLAN_M",
};
const event = (payload: Record<string, unknown>) => ({
  eventId: crypto.randomUUID(),
  type: "usage.recorded",
  payload,
});

Deno.test("the binding: queue rating.usage.recorded, usage.recorded → rate on the line's actor", () => {
  assert.deepEqual(
    [usageRecordedBinding.queue, usageRecordedBinding.pattern],
    ["rating.usage.recorded", "usage.recorded"],
  );
  assert.deepEqual(usageRecordedBinding.to(event(USAGE)), {
    kind: "rating",
    key: "SUB-0007",
    message: { type: "rate", usage: USAGE },
  });
});

Deno.test("the binding: a payload that breaks the contract is poison (throws)", () => {
  const { subscriptionId: _, ...noSubscription } = USAGE;
  for (const payload of [{}, noSubscription, { ...USAGE, quantity: "12" }]) {
    assert.throws(() => usageRecordedBinding.to(event(payload)));
  }
});

Deno.test("rateRecorded: an offering the catalog does not know is rating.unknown_offering", async () => {
  const outcome = await rateRecorded(
    USAGE,
    (id) => Promise.reject(new NotFound("ProductOffering", id)),
  );
  assert.equal(!outcome.ok && outcome.reason, "rating.unknown_offering");
});

Deno.test("rateRecorded: an unreachable catalog propagates, so the turn retries", async () => {
  const down = new HttpError(503, { code: "UPSTREAM_UNAVAILABLE", message: "down" }, "GET x");
  await assert.rejects(rateRecorded(USAGE, () => Promise.reject(down)), (e) => e === down);
});
