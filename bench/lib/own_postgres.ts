/**
 * A Postgres server of the caller's own (the embedded one, in a temporary data dir on a free
 * port) that it may stop, restart or crash at will: the chaos suite and the restart tests
 * never touch the machine's shared server.
 *
 * @module
 */
import { startEmbedded } from "../../kernel/db/embedded.ts";
import { embeddedDataDir, freePort } from "../../tests/support/http.ts";

/** A private Postgres server. */
export interface OwnPostgres {
  /** `postgres://…/bss` of the server's database. */
  url: string;
  /** Stops the server (fast shutdown: sessions are terminated), waits `downMs`, starts it. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

/** Starts a fresh embedded server in a temporary directory. */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = await embeddedDataDir();
  const port = freePort();
  let server = await startEmbedded(dir, port);
  return {
    url: server.url,
    async restart(downMs = 0) {
      await server.stop();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      server = await startEmbedded(dir, port);
    },
    async destroy() {
      await server.stop().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
