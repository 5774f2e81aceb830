/**
 * A drain loop looks again after a batch only when the batch left due mail behind or
 * something was sent to its kind while it ran; otherwise it sleeps on its signal. These
 * tests poll once a minute, so a message that needed the second look and did not get it
 * would wait far longer than they allow.
 */
import { ActorSystem } from "../actors/runtime/system.ts";
import { enqueueMany } from "../actors/runtime/sql.ts";
import { counterDatabase, counterKind, shutdownTest, waitLogged } from "./support/actors.ts";

const db = await counterDatabase("second_look");
const system = new ActorSystem(db.sql, { pollMs: 60_000, batchPerActor: 2 });
system.register(counterKind);
await system.start();

Deno.test("a message sent to an actor while its turn runs is handled at once, not at the next poll", async () => {
  await system.tell("counter", "busy", { type: "sleep_add", ms: 300 });
  await new Promise((r) => setTimeout(r, 100));
  // The actor is locked by the running batch: whichever loop this wakes finds nothing to take.
  await system.tell("counter", "busy", { type: "add" });
  await waitLogged(db.sql, "busy", 2);
});

Deno.test("an actor with more mail than a batch loads gets it all, from one wake-up", async () => {
  // Six messages inserted at once: one notification, batches of two per actor.
  const body = { type: "add" as const };
  await enqueueMany(
    db.sql,
    Array.from({ length: 6 }, () => ({ kind: "counter", key: "deep", body, context: {} })),
  );
  await waitLogged(db.sql, "deep", 6);
});

shutdownTest(system, db);
