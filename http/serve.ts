/**
 * Serving an app on a port (0 = any free port, for tests). A loopback app is also listed for
 * this process's own clients, which then call it without a socket (`local.ts`).
 *
 * @module
 */
import { isLocalHost, serveLocally } from "./local.ts";

/** A listening app. */
export interface Served {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  /** Stops accepting and waits for in-flight requests to finish. */
  shutdown(): Promise<void>;
}

/** Anything answering requests: a Hono app of any environment. */
export interface Fetcher {
  fetch(request: Request, info: Deno.ServeHandlerInfo): Response | Promise<Response>;
  /** Ends what the app holds open (event streams, timers) so shutdown need not wait on it. */
  stop?(): void;
}

/**
 * Listens on `hostname:port` and serves `app`. A port already taken is an error naming the
 * port and the setting that moves every service port.
 */
export function serve(app: Fetcher, hostname: string, port: number): Served {
  let server;
  try {
    server = Deno.serve({ hostname, port, onListen: () => {} }, (r, info) => app.fetch(r, info));
  } catch (e) {
    if (!(e instanceof Deno.errors.AddrInUse)) throw e;
    throw new Error(
      `port ${port} on ${hostname} is already in use (another bss instance?): ` +
        `set BSS_PORT_OFFSET to move every service port`,
    );
  }
  const bound = server.addr.port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const unlist = isLocalHost(hostname) ? serveLocally(bound, app) : () => {};
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    shutdown: () => {
      unlist();
      return server.shutdown();
    },
  };
}
