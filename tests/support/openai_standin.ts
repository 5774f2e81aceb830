/**
 * A local stand-in for an OpenAI-compatible chat completions endpoint, so the real
 * `@langchain/openai` adapter is tested over HTTP with no live model. It answers
 * `POST /chat/completions` from a fixture (cockpit/agent/fixture_model.ts format): the
 * response is the one whose `match` is in the latest user message, the step is the number of
 * assistant messages after it. Streamed requests get SSE chunks — text in pieces, tool calls
 * as deltas, a usage chunk when asked — and plain requests one completion. Every request is
 * kept for assertions.
 *
 * @module
 */
import type { Fixture } from "../../cockpit/agent/fixture_model.ts";
import { wireName } from "../../cockpit/agent/wire_names.ts";

/** A request the stand-in received. */
export interface SeenRequest {
  authorization: string | null;
  body: {
    model: string;
    stream?: boolean;
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
    tools?: Array<{ function: { name: string; parameters: unknown } }>;
    messages: Array<{ role: string; content: unknown; tool_calls?: unknown[] }>;
    stream_options?: { include_usage?: boolean };
  };
}

/** A running stand-in. */
export interface StandIn {
  /** The base URL to give as `BSS_LLM_BASE_URL`. */
  url: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

const PROMPT_TOKENS = 11;
const COMPLETION_TOKENS = 7;

/** The fixture step for a conversation. */
function stepFor(fixture: Fixture, messages: SeenRequest["body"]["messages"]) {
  const lastUser = messages.findLastIndex((m) => m.role === "user");
  const text = String(messages[lastUser]?.content ?? "").toLowerCase();
  const response = fixture.responses.find((r) => text.includes(r.match.toLowerCase()));
  const step = messages.slice(lastUser + 1).filter((m) => m.role === "assistant").length;
  return response?.steps[step] ?? { content: "(done)", tool_calls: undefined };
}

/** Splits text into pieces of a few characters, as a model streams. */
const pieces = (text: string) => text.match(/.{1,4}/gs) ?? [];

/** Starts a stand-in on an ephemeral port. */
export function startStandIn(fixture: Fixture): StandIn {
  const requests: SeenRequest[] = [];
  let n = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/chat/completions")) {
      return new Response("not found", { status: 404 });
    }
    const body = await req.json() as SeenRequest["body"];
    requests.push({ authorization: req.headers.get("authorization"), body });
    const step = stepFor(fixture, body.messages);
    const id = `chatcmpl-${++n}`;
    const calls = (step.tool_calls ?? []).map((c, i) => ({
      id: c.id ?? `call_${n}_${i}`,
      type: "function",
      function: { name: wireName(c.name), arguments: JSON.stringify(c.args) },
    }));
    const finish = calls.length ? "tool_calls" : "stop";
    const usage = {
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: COMPLETION_TOKENS,
      total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
    };
    const base = { id, created: 1_700_000_000, model: body.model };
    if (!body.stream) {
      return Response.json({
        ...base,
        object: "chat.completion",
        choices: [{
          index: 0,
          message: {
            role: "assistant",
            content: step.content,
            ...calls.length && { tool_calls: calls },
          },
          finish_reason: finish,
        }],
        usage,
      });
    }
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${
        JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })
      }\n\n`;
    const events = [chunk([{ index: 0, delta: { role: "assistant", content: "" } }])];
    for (const piece of pieces(step.content)) {
      events.push(chunk([{ index: 0, delta: { content: piece } }]));
    }
    calls.forEach((call, index) => {
      events.push(chunk([{
        index: 0,
        delta: {
          tool_calls: [{
            index,
            id: call.id,
            type: "function",
            function: { name: call.function.name, arguments: "" },
          }],
        },
      }]));
      for (const piece of pieces(call.function.arguments)) {
        events.push(
          chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] } }]),
        );
      }
    });
    events.push(chunk([{ index: 0, delta: {}, finish_reason: finish }]));
    if (body.stream_options?.include_usage) events.push(chunk([], { usage }));
    events.push("data: [DONE]\n\n");
    return new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    stop: () => server.shutdown(),
  };
}
