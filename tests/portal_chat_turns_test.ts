/**
 * The portal's chat memory: a customer's turns run one at a time, in the order asked — a
 * question sent before the last answer arrived is answered after it, knowing it, and its answer
 * follows it in the thread — and a turn that ends after a newer one was asked leaves no
 * proposal (the newer turn's answer decides whether a confirm button shows).
 */
import assert from "node:assert/strict";
import type { ChatEvent, ChatLine, CustomerChat } from "../cockpit/agent/customer_chat.ts";
import { ChatTurns } from "../portal/chat_turns.ts";

const terminate = { tool: "subscription.terminate_mine", args: { id: "SUB-0001" } };

/** A chat core whose "slow" turn proposes a termination and answers once `slow` resolves. */
function scriptedCore() {
  const slow = Promise.withResolvers<void>();
  const asked: { message: string; history: ChatLine[] }[] = [];
  const core = {
    async *runChatTurn(
      { message, history }: { message: string; history: ChatLine[] },
    ): AsyncGenerator<ChatEvent> {
      asked.push({ message, history });
      if (message === "slow") await slow.promise;
      yield {
        type: "done",
        outcome: {
          reply: `answer to ${message}`,
          toolsCalled: [],
          ...(message === "slow" && { proposal: terminate }),
        },
      };
    },
  } as unknown as CustomerChat;
  return { chats: new ChatTurns(core), slow, asked };
}

const ended = (t: { done: boolean }) =>
  new Promise<void>((r) => {
    const check = () => t.done ? r() : setTimeout(check, 5);
    check();
  });

Deno.test("a question asked before the last answer waits for it, knows it, and follows it", async () => {
  const { chats, slow, asked } = scriptedCore();
  const first = chats.start("CUST-0001", "slow", "127.0.0.1");
  const second = chats.start("CUST-0001", "quick", "127.0.0.1");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(asked.map((a) => a.message), ["slow"], "the second waits for the first");
  assert.equal(second.done, false);
  slow.resolve();
  await ended(second);
  assert.equal(first.done, true);
  assert.deepEqual(asked[1], {
    message: "quick",
    history: [
      { role: "user", content: "slow" },
      { role: "assistant", content: "answer to slow" },
    ],
  });
  assert.deepEqual(chats.conversation("CUST-0001").lines.map((l) => l.content), [
    "slow",
    "answer to slow",
    "quick",
    "answer to quick",
  ]);
});

Deno.test("a turn ending after a newer one was asked leaves no proposal, and says so", async () => {
  const { chats, slow } = scriptedCore();
  const first = chats.start("CUST-0001", "slow", "127.0.0.1");
  const second = chats.start("CUST-0001", "quick", "127.0.0.1");
  slow.resolve();
  await ended(first);
  assert.equal(chats.proposal("CUST-0001"), undefined);
  const done = first.frames.find((f) => f.event === "done")!;
  assert.equal(JSON.parse(done.data).proposal, null, "no confirm button for a stale proposal");
  await ended(second);
  assert.equal(chats.proposal("CUST-0001"), undefined);

  // Asked last, the proposal stands.
  const only = chats.start("CUST-0002", "slow", "127.0.0.1");
  await ended(only);
  assert.equal(chats.proposal("CUST-0002")?.tool, terminate.tool);
});
