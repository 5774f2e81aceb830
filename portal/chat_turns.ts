/**
 * The portal's chat memory, in this process: per customer the conversation so far (idle
 * for an hour → forgotten) and its turns. A turn runs in the background on the customer
 * chat core (`cockpit/agent/customer_chat.ts`) and keeps what it streamed, so a page that
 * opens the turn's stream late still gets all of it. A customer's turns run one at a time, in
 * the order asked: a question sent before the last answer arrived waits for it, is answered
 * knowing it, and its answer follows it in the thread. A destructive proposal is kept here,
 * never taken from a form: confirming it runs exactly what the model proposed.
 *
 * @module
 */
import {
  CHAT_ERROR,
  type ChatLine,
  type ChatOutcome,
  type CustomerChat,
} from "../cockpit/agent/customer_chat.ts";
import type { Proposal } from "../cockpit/agent/gate.ts";

/** One frame of a turn's stream. */
export interface TurnFrame {
  event: "text" | "tool" | "done";
  data: string;
}

/** A chat turn. */
export interface ChatTurn {
  id: string;
  customerId: string;
  question: string;
  frames: TurnFrame[];
  done: boolean;
  listeners: Set<() => void>;
}

interface Conversation {
  lines: ChatLine[];
  turns: Map<string, ChatTurn>;
  proposal?: Proposal;
  /** The turn started last: only its outcome may leave a proposal. */
  latest?: string;
  /** The last cap that refused a turn: no point asking before this. */
  retryAt?: Date;
  seen: number;
  /** The end of the turn asked last: the next one starts after it. */
  tail: Promise<void>;
}

const IDLE_MS = 3_600_000;

/** The chats of this process. */
export class ChatTurns {
  #chats = new Map<string, Conversation>();

  constructor(readonly core: CustomerChat) {}

  /** The conversation of `customerId` (fresh after an idle hour). */
  conversation(customerId: string): Conversation {
    const now = Date.now();
    let chat = this.#chats.get(customerId);
    if (!chat || now - chat.seen > IDLE_MS) {
      chat = { lines: [], turns: new Map(), seen: now, tail: Promise.resolve() };
      this.#chats.set(customerId, chat);
    }
    chat.seen = now;
    return chat;
  }

  /** Forgets the conversation of `customerId`. */
  reset(customerId: string): void {
    this.#chats.delete(customerId);
  }

  /** The turn `id` when it is `customerId`'s; `"foreign"` when it is someone else's. */
  turn(customerId: string, id: string): ChatTurn | "foreign" | undefined {
    const own = this.#chats.get(customerId)?.turns.get(id);
    if (own) return own;
    for (const chat of this.#chats.values()) if (chat.turns.has(id)) return "foreign";
    return undefined;
  }

  /** Starts a turn answering `message`. */
  start(customerId: string, message: string, ip: string): ChatTurn {
    const chat = this.conversation(customerId);
    const turn: ChatTurn = {
      id: crypto.randomUUID().replaceAll("-", ""),
      customerId,
      question: message,
      frames: [],
      done: false,
      listeners: new Set(),
    };
    chat.turns.set(turn.id, turn);
    const question: ChatLine = { role: "user", content: message };
    chat.lines.push(question);
    chat.proposal = undefined;
    chat.latest = turn.id;
    chat.tail = chat.tail.then(() => this.#run(chat, turn, question, ip));
    return turn;
  }

  /** Runs `turn` once the turns asked before it have ended (it never throws). */
  async #run(chat: Conversation, turn: ChatTurn, question: ChatLine, ip: string): Promise<void> {
    const { customerId } = turn;
    // What came before the question: the earlier turns' answers included, later questions not.
    const history = chat.lines.slice(0, chat.lines.indexOf(question));
    const emit = (frame: TurnFrame) => {
      turn.frames.push(frame);
      for (const wake of turn.listeners) wake();
    };
    let outcome: ChatOutcome | undefined;
    try {
      const message = question.content;
      for await (const e of this.core.runChatTurn({ customerId, message, history, ip })) {
        if (e.type === "text") emit({ event: "text", data: e.delta });
        else if (e.type === "tool") emit({ event: "tool", data: e.name });
        else outcome = e.outcome;
      }
    } catch {
      outcome = { reply: CHAT_ERROR, toolsCalled: [] };
    }
    const reply = outcome?.reply ?? "";
    chat.lines.splice(chat.lines.indexOf(question) + 1, 0, { role: "assistant", content: reply });
    // A turn that ends after a newer one was asked neither leaves nor clears a proposal.
    const latest = chat.latest === turn.id;
    const proposal = latest ? outcome?.proposal : undefined;
    if (latest) chat.proposal = proposal;
    chat.retryAt = outcome?.refused?.retryAt;
    turn.done = true;
    emit({
      event: "done",
      data: JSON.stringify({
        reply,
        proposal: proposal?.tool ?? null,
        caseId: outcome?.caseId ?? null,
        capped: outcome?.refused !== undefined,
        retryAt: outcome?.refused?.retryAt.toISOString() ?? null,
      }),
    });
  }

  /** Takes the pending proposal of `customerId`, once. */
  takeProposal(customerId: string): Proposal | undefined {
    const chat = this.#chats.get(customerId);
    const proposal = chat?.proposal;
    if (chat) chat.proposal = undefined;
    return proposal;
  }

  /** The pending proposal of `customerId`, if any. */
  proposal(customerId: string): Proposal | undefined {
    return this.#chats.get(customerId)?.proposal;
  }
}
