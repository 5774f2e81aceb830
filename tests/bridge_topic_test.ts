import assert from "node:assert/strict";
import { topicMatches } from "../actors/bridge/topic.ts";

const cases: [pattern: string, key: string, matches: boolean][] = [
  ["order.in_progress", "order.in_progress", true],
  ["order.in_progress", "order.completed", false],
  ["order.*", "order.completed", true],
  ["order.*", "order", false],
  ["order.*", "order.task.created", false],
  ["*.completed", "order.completed", true],
  ["*", "order", true],
  ["*", "order.completed", false],
  ["provisioning.task.*", "provisioning.task.failed", true],
  ["#", "order.completed", true],
  ["#", "order", true],
  ["order.#", "order", true],
  ["order.#", "order.completed", true],
  ["order.#", "order.task.created", true],
  ["order.#", "orders.completed", false],
  ["#.created", "provisioning.task.created", true],
  ["#.created", "created", true],
  ["#.created", "provisioning.task.completed", false],
  ["order.#.done", "order.done", true],
  ["order.#.done", "order.a.b.done", true],
  ["order.#.done", "order.a.b", false],
  ["#.task.#", "provisioning.task.created", true],
  ["#.task.#", "task", true],
  ["#.task.#", "provisioning.tasks", false],
  ["*.#", "order", true],
  ["*.*.#", "order", false],
  ["#.#.#.#.#.#.#.#.#.#.#.#.x", "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.y", false],
];

Deno.test("topic patterns match as AMQP topic exchanges route", () => {
  for (const [pattern, key, expected] of cases) {
    assert.equal(topicMatches(pattern, key), expected, `${pattern} ~ ${key}`);
  }
});
