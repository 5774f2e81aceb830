/**
 * Line reservations carry their holder and a TTL: reserving again for the same holder answers
 * the line it holds (a retried SOM turn never takes a second line), and the sweeper returns a
 * line reserved past the TTL whose holder no longer wants it — with an event and its audit
 * row — while a wanted, a young or a bound line is left alone.
 */
import assert from "node:assert/strict";
import { reserveLine } from "../actors/inventory/line.ts";
import { sweepAbandonedReservations } from "../actors/inventory/reservation_sweeper.ts";
import { seedReferenceData } from "../actors/inventory/seed.ts";
import { clock } from "../kernel/clock.ts";
import { freshDatabase } from "./support/db.ts";

const db = await freshDatabase("inventory_reservation_sweeper");
const { sql } = db;
await seedReferenceData(sql);
await clock.refresh(sql);

const statusOf = async (msisdn: string) =>
  (await sql`select status from inventory.msisdn_pool where msisdn = ${msisdn}`)[0].status;
const profileOf = async (iccid: string) =>
  (await sql`select profile_state from inventory.esim_profile where iccid = ${iccid}`)[0]
    .profile_state;

Deno.test("reserving again for the same holder answers the line it holds", async () => {
  const [a, b] = await Promise.all([
    reserveLine(sql, { holder: "ORD-H1" }),
    reserveLine(sql, { holder: "ORD-H1" }),
  ]);
  assert.deepEqual([a.msisdn, a.iccid], [b.msisdn, b.iccid]);
  const other = await reserveLine(sql, { holder: "ORD-H2" });
  assert.notEqual(other.msisdn, a.msisdn);
  const [{ n }] = await sql`
    select count(*)::int as n from inventory.msisdn_pool where reserved_for = 'ORD-H1'`;
  assert.equal(n, 1);
});

Deno.test("the sweeper returns abandoned lines past the TTL, and only those", async () => {
  const abandoned = await reserveLine(sql, { holder: "ORD-GONE" });
  const wanted = await reserveLine(sql, { holder: "ORD-LIVE" });
  const orphan = await reserveLine(sql, {});
  const bound = await reserveLine(sql, { holder: "ORD-BOUND" });
  await sql`
    update inventory.msisdn_pool set status = 'assigned', assigned_to_subscription_id = 'SUB-1'
    where msisdn = ${bound.msisdn}`;
  const sweep = {
    ttlSeconds: 600,
    holderWantsLine: (holder: string) => Promise.resolve(holder === "ORD-LIVE"),
  };
  // young: nothing goes back
  assert.deepEqual(await sweepAbandonedReservations(sql, sweep), []);
  await clock.advance(sql, 601);
  const freed = await sweepAbandonedReservations(sql, sweep);
  assert.ok(freed.includes(abandoned.msisdn) && freed.includes(orphan.msisdn));
  assert.ok(!freed.includes(wanted.msisdn) && !freed.includes(bound.msisdn));
  assert.equal(await statusOf(abandoned.msisdn), "available");
  assert.equal(await profileOf(abandoned.iccid), "available");
  assert.equal(await statusOf(wanted.msisdn), "reserved");
  assert.equal(await profileOf(wanted.iccid), "reserved");
  assert.equal(await statusOf(bound.msisdn), "assigned");
  const [event] = await sql`
    select payload from audit.domain_event
    where event_type = 'inventory.reservation.expired' and aggregate_id = ${abandoned.msisdn}`;
  assert.deepEqual(
    { ...event.payload, reservedAt: typeof event.payload.reservedAt },
    {
      msisdn: abandoned.msisdn,
      iccid: abandoned.iccid,
      reservedFor: "ORD-GONE",
      reservedAt: "string",
    },
  );
  // a holder that cannot be asked keeps its line
  const unsure = { ...sweep, holderWantsLine: () => Promise.reject(new Error("COM down")) };
  assert.deepEqual(await sweepAbandonedReservations(sql, unsure), []);
  assert.equal(await statusOf(wanted.msisdn), "reserved");
  // swept twice: nothing more
  assert.deepEqual(await sweepAbandonedReservations(sql, sweep), []);
});

Deno.test("cleanup", async () => {
  await clock.reset(sql);
  await db.drop();
});
