/**
 * The portal's chat memory: a turn that ends after a newer one started neither leaves nor
 * clears a proposal (a customer who asks again before an answer arrives keeps the newer
 * turn's confirm button).
 */
import assert from "node:assert/strict";
import type { ChatEvent, CustomerChat } from "../cockpit/agent/customer_chat.ts";
import { ChatTurns } from "../portal/chat_turns.ts";

Deno.test("a slow turn ending after a newer one does not clear that turn's proposal", async () => {
  const slow = Promise.withResolvers<void>();
  const core = {
    async *runChatTurn({ message }: { message: string }): AsyncGenerator<ChatEvent> {
      if (message === "slow") {
        await slow.promise;
        yield { type: "done", outcome: { reply: "slow answer", toolsCalled: [] } };
      } else {
        yield {
          type: "done",
          outcome: {
            reply: "please confirm",
            toolsCalled: [],
            proposal: { tool: "subscription.terminate_mine", args: { id: "SUB-0001" } },
          },
        };
      }
    },
  } as unknown as CustomerChat;
  const chats = new ChatTurns(core);
  const first = chats.start("CUST-0001", "slow", "127.0.0.1");
  const second = chats.start("CUST-0001", "cancel", "127.0.0.1");
  const ended = (t: { done: boolean }) =>
    new Promise<void>((r) => {
      const check = () => t.done ? r() : setTimeout(check, 5);
      check();
    });
  await ended(second);
  assert.equal(chats.proposal("CUST-0001")?.tool, "subscription.terminate_mine");
  slow.resolve();
  await ended(first);
  assert.equal(chats.proposal("CUST-0001")?.tool, "subscription.terminate_mine");
});
