/**
 * A TCP proxy in front of the machine's RabbitMQ that the chaos suite can cut: every
 * connection through it is closed and new ones are refused until it is restored. The
 * system sees a broker outage; the shared broker itself (other work uses it) is untouched.
 *
 * @module
 */
import { freePort } from "../../tests/support/http.ts";

/** A cuttable proxy. */
export interface BrokerProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** Closes every connection and stops accepting. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): void;
}

/** Proxies 127.0.0.1:<free port> to `upstream` (host:port). */
export function brokerProxy(upstream: { hostname: string; port: number }): BrokerProxy {
  const port = freePort();
  const open = new Set<Deno.Conn>();
  let listener: Deno.Listener | undefined;
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch { /* cut */ }
    for (const c of [from, to]) {
      open.delete(c);
      try {
        c.close();
      } catch { /* already closed */ }
    }
  };
  const serve = async (l: Deno.Listener) => {
    for await (const client of l) {
      try {
        const server = await Deno.connect(upstream);
        open.add(client).add(server);
        pipe(client, server);
        pipe(server, client);
      } catch {
        client.close();
      }
    }
  };
  const restore = () => {
    if (listener) return;
    listener = Deno.listen({ hostname: "127.0.0.1", port });
    serve(listener).catch(() => {});
  };
  const cut = () => {
    listener?.close();
    listener = undefined;
    for (const c of open) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    open.clear();
  };
  restore();
  return { port, cut, restore, close: cut };
}
