/**
 * Knowledge test support: a corpus of markdown files in a temporary project folder, and a
 * local stand-in for an OpenAI-compatible `/embeddings` endpoint with a deterministic
 * embedder (bag of concepts hashed into a fixed number of dimensions, unit length), so the
 * hybrid ranking is tested over real HTTP without a live model.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** A temporary project folder holding a corpus. */
export interface TestCorpus {
  root: string;
  /** Writes (or rewrites) a file, creating its folders. */
  write(path: string, text: string): Promise<void>;
  remove(path: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A corpus of `files` (path → markdown) in a fresh temporary folder. */
export async function testCorpus(files: Record<string, string>): Promise<TestCorpus> {
  const root = await Deno.makeTempDir({ prefix: "bss_knowledge_" });
  const corpus: TestCorpus = {
    root,
    async write(path, text) {
      await Deno.mkdir(dirname(join(root, path)), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    },
    remove: (path) => Deno.remove(join(root, path)),
    cleanup: () => Deno.remove(root, { recursive: true }),
  };
  for (const [path, text] of Object.entries(files)) await corpus.write(path, text);
  return corpus;
}

// Words that mean one thing to the stand-in model; any other word is its own concept.
const CONCEPTS: Record<string, string> = {
  carrier: "porting",
  provider: "porting",
  switch: "porting",
  switching: "porting",
  donor: "porting",
  recipient: "porting",
  port: "porting",
  porting: "porting",
};

/** FNV-1a of `text`, as an unsigned 32-bit number. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const c of new TextEncoder().encode(text)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

/** The stand-in's vector of `text`: concepts counted into `dims` buckets, unit length. */
export function deterministicEmbedding(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (word.length < 3) continue;
    v[fnv1a(CONCEPTS[word] ?? word) % dims] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** A running stand-in embeddings endpoint. */
export interface EmbeddingsStandIn {
  /** The base URL (`…/v1`) to configure as `BSS_EMBEDDINGS_BASE_URL`. */
  url: string;
  /** Every request body received, in order. */
  requests: Array<{ model: string; input: string[]; dimensions?: number }>;
  /** While true, every request answers 500. */
  failing: boolean;
  stop(): Promise<void>;
}

/**
 * Serves `POST /v1/embeddings` on an ephemeral loopback port. Requires `Bearer <apiKey>` when
 * `apiKey` is given; the vector length is the request's `dimensions`, else `dims`.
 */
export function embeddingsStandIn({ dims = 32, apiKey }: { dims?: number; apiKey?: string } = {}) {
  const standIn: EmbeddingsStandIn = {
    url: "",
    requests: [],
    failing: false,
    stop: () => server.shutdown(),
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method !== "POST" || path !== "/v1/embeddings") {
      return Response.json({ error: { message: "not found" } }, { status: 404 });
    }
    if (apiKey && req.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return Response.json({ error: { message: "bad key" } }, { status: 401 });
    }
    const body = await req.json();
    standIn.requests.push(body);
    if (standIn.failing) return Response.json({ error: { message: "down" } }, { status: 500 });
    const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
    const n = body.dimensions ?? dims;
    return Response.json({
      object: "list",
      model: body.model,
      data: input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: deterministicEmbedding(text, n),
      })),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  });
  standIn.url = `http://127.0.0.1:${server.addr.port}/v1`;
  return standIn;
}
