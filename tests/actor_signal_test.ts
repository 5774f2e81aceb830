import assert from "node:assert/strict";
import { Signal } from "../actors/runtime/signal.ts";

/** Which settles first: `wait`, or a timer due at once (a wait that waits loses). */
const first = (wait: Promise<void>) =>
  Promise.race([
    wait.then(() => "woken"),
    new Promise((resolve) => setTimeout(() => resolve("still waiting"), 0)),
  ]);

Deno.test("signal: a notify with nobody waiting is kept for the next wait, once", async () => {
  const signal = new Signal();
  signal.notifyOne();
  assert.equal(await first(signal.wait(60_000)), "woken");
  const next = signal.wait(10);
  assert.equal(await first(next), "still waiting", "the wait took it");
  await next;
});

Deno.test("signal: notifyOne wakes one waiter, notify wakes them all", async () => {
  const signal = new Signal();
  const woken: number[] = [];
  const a = signal.wait(60_000).then(() => woken.push(1));
  const b = signal.wait(60_000).then(() => woken.push(2));
  signal.notifyOne();
  await a;
  assert.deepEqual(woken, [1]);
  signal.notify();
  await b;
  assert.deepEqual(woken, [1, 2]);
  const next = signal.wait(10);
  assert.equal(await first(next), "still waiting", "a notify that woke someone is not kept");
  await next;
});

Deno.test("signal: counts every notification, whoever it woke or none", async () => {
  const signal = new Signal();
  const start = signal.notified;
  signal.notifyOne(); // kept for the next wait
  await signal.wait(60_000);
  const waiting = signal.wait(60_000);
  signal.notify(); // wakes the waiter
  await waiting;
  signal.notifyOne();
  assert.equal(signal.notified - start, 3);
});
