/**
 * The account page (`/`): one live card per line, and the event stream (`/events`) that
 * keeps them current — for each event about one of the customer's own lines, the line is
 * read again through the self-serve tools and pushed as a `line` event whose id is the
 * event's, so `Last-Event-ID` resumes after a reconnect.
 *
 * @module
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { Island } from "../components/island.tsx";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import LiveLines from "../islands/live_lines.tsx";
import { lineView, myLine, myLines, planNames } from "../lines.ts";
import type { LiveEvent } from "../live.ts";
import { FLASH } from "../messages.ts";
import { page } from "../render.tsx";

/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Mounts the account page and its event stream. */
export function dashboardRoutes(app: Hono<PortalEnv>, streams: Set<() => void>): void {
  app.get("/", gate("session"), async (c) => {
    const { bss } = c.get("portal");
    const session = c.get("session")!;
    const flash = FLASH[c.req.query("flash") ?? ""];
    const customerId = session.customerId;
    const lines = customerId
      ? await (async () => {
        const [subs, names] = await Promise.all([
          myLines(bss, customerId),
          planNames(bss, customerId),
        ]);
        return subs.map((s) => lineView(s, names));
      })()
      : [];
    return page(
      c,
      "My account",
      <section>
        {flash && <p class="form-flash" role="status">{flash}</p>}
        <h1>My account</h1>
        <p class="muted">
          {session.email}
          {customerId && ` · ${customerId}`}
        </p>
        {lines.length === 0
          ? (
            <div class="card empty-state">
              <p>You have no lines yet.</p>
              <a class="button" href="/plans">Browse plans</a>
            </div>
          )
          : <Island name="LiveLines" component={LiveLines} props={{ lines, csrf: session.csrf }} />}
        {customerId && (
          <p class="actions">
            <a href="/payment-methods">Payment methods</a>
            <a href="/billing/history">Charge history</a>
            <a href="/profile/contact">Contact details</a>
            <a href="/support">Support cases</a>
            <a href="/plans">Add a line</a>
          </p>
        )}
      </section>,
    );
  });

  app.get("/events", gate("linked"), (c) => {
    const { bss, live } = c.get("portal");
    const customerId = customerOf(c);
    const lastSeen = Number(c.req.header("last-event-id") ?? "0") || 0;
    return streamSSE(c, async (stream) => {
      const subs = await myLines(bss, customerId);
      const keys = new Set(subs.map((s) => s.id));
      const names = await planNames(bss, customerId);
      const latest = new Map<string, string>();
      // Reads run side by side; a read started before the last one written is dropped.
      const started = new Map<string, number>();
      const written = new Map<string, number>();
      let writes = Promise.resolve();
      const push = (e: LiveEvent) => {
        for (const id of e.keys.filter((k) => keys.has(k))) {
          const seq = (started.get(id) ?? 0) + 1;
          started.set(id, seq);
          freshView(id, e.type === "usage.rated", latest.get(id)).then((view) => {
            writes = writes.then(async () => {
              if (seq <= (written.get(id) ?? 0) || view === latest.get(id)) return;
              written.set(id, seq);
              latest.set(id, view);
              await stream.writeSSE({ event: "line", id: String(e.id), data: view });
            }).catch(() => {});
          }).catch(() => {});
        }
      };
      // `usage.rated` comes before the line applies it: read until the line moved (bounded).
      const freshView = async (id: string, awaitChange: boolean, before?: string) => {
        let view = JSON.stringify(lineView(await myLine(bss, customerId, id), names));
        for (let i = 1; awaitChange && i <= 12 && view === before; i++) {
          await new Promise((r) => setTimeout(r, 20 * i));
          view = JSON.stringify(lineView(await myLine(bss, customerId, id), names));
        }
        return view;
      };
      // A reconnect gets the lines its missed events touched; the rest it has already.
      const missed = lastSeen ? await live.since([...keys], lastSeen) : [];
      const stale = new Set(missed.flatMap((e) => e.keys));
      for (const s of subs) {
        if (!stale.has(s.id)) latest.set(s.id, JSON.stringify(lineView(s, names)));
      }
      const unsubscribe = live.subscribe(keys, push);
      for (const e of missed) push(e);
      const heartbeat = setInterval(
        () => stream.write(": heartbeat\n\n").catch(() => {}),
        HEARTBEAT_MS,
      );
      let end = () => {};
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        await new Promise<void>((resolve) => {
          end = resolve;
          streams.add(end);
          stream.onAbort(resolve);
        });
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
      }
    });
  });
}
