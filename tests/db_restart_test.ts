import assert from "node:assert/strict";
import { ownPostgres } from "../bench/lib/own_postgres.ts";
import { SERVICES } from "../http/services.ts";
import { freePortOffset, kill, spawnMain, stopMain, TOKEN, waitHealthy } from "./support/http.ts";

// A Postgres restart under load, on a server of the test's own (never the machine's shared
// one): `main.ts` keeps running, answers 503 (never 500) while the database is away,
// `/health/ready` follows the database, and once it is back every request succeeds — the
// pooled connections the restart killed are not handed out again.
Deno.test({
  name: "main.ts survives a Postgres restart under load and serves again without a 500",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const pg = await ownPostgres();
    const offset = freePortOffset();
    const main = spawnMain({
      BSS_DB_URL: pg.url,
      BSS_API_TOKEN: TOKEN,
      BSS_PORT_OFFSET: String(offset),
      BSS_LOG_LEVEL: "warn",
      BSS_KNOWLEDGE_REINDEX_ON_START: "false",
    });
    const crm = `http://127.0.0.1:${SERVICES.crm.port + offset}`;
    const ready = () => fetch(`${crm}/health/ready`).then((r) => (r.body?.cancel(), r.status));
    const createCustomer = async (i: number): Promise<{ status: number; code?: string }> => {
      const r = await fetch(`${crm}/tmf-api/customerManagement/v4/customer`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-bss-api-token": TOKEN },
        body: JSON.stringify({
          givenName: "Ada",
          familyName: `Restart${i}`,
          contactMedium: [{
            mediumType: "email",
            value: `restart-${i}-${crypto.randomUUID()}@example.com`,
            isPrimary: true,
          }],
        }),
      }).catch(() => undefined);
      if (!r) return { status: 0 };
      if (r.status === 201) {
        await r.body?.cancel();
        return { status: 201 };
      }
      const text = await r.text();
      const code = /"code":"(\w+)"/.exec(text)?.[1];
      return { status: r.status, code };
    };
    try {
      await waitHealthy(main, offset, { ms: 90_000 });
      let exited = false;
      main.exited.then(() => exited = true);

      // Four clients write through the customer actor throughout.
      const statuses: number[] = [];
      // Statuses of the writes sent once /health/ready answered 200 again (by send time: a
      // write sent during the outage may finish long after, e.g. waiting out its ask).
      const sentReady: string[] = [];
      let isReady = false;
      let loading = true;
      let n = 0;
      const load = Promise.all(Array.from({ length: 4 }, async () => {
        while (loading) {
          const sentOnceReady = isReady;
          const { status, code } = await createCustomer(n++);
          statuses.push(status);
          if (sentOnceReady) sentReady.push(code ?? String(status));
          await new Promise((r) => setTimeout(r, 10));
        }
      }));
      await waitFor(() => Promise.resolve(statuses.filter((s) => s === 201).length >= 20));

      const seenDown: number[] = [];
      const restarted = pg.restart(1500);
      const probe = (async () => {
        while (loading) {
          seenDown.push(await ready().catch(() => 0));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await restarted;
      await waitFor(async () => (await ready()) === 200, 60_000);
      isReady = true;
      await waitFor(() => Promise.resolve(sentReady.length >= 40), 60_000);
      loading = false;
      await Promise.all([load, probe]);

      if (Deno.env.get("DUMP")) Deno.writeTextFileSync(Deno.env.get("DUMP")!, main.output());
      assert.equal(exited, false, `main.ts died:\n${main.output().slice(-3000)}`);
      assert.ok(seenDown.includes(503), "/health/ready answered 503 while Postgres was down");
      const unexpected = statuses.filter((s) => s !== 201 && s !== 503 && s !== 0);
      assert.deepEqual(
        unexpected,
        [],
        `only 201 or 503, never a 500:\n${unhandled(main.output())}`,
      );
      // A request in flight at the restart may fail; the ones sent once ready must succeed: no
      // dead pooled connection (DATABASE_UNAVAILABLE), no 500, and no late answer
      // (ANSWER_TIMEOUT), which a reconnect slower than an ask's timeout used to cause.
      assert.deepEqual(
        sentReady.filter((s) => s !== "201"),
        [],
        "every write sent once ready succeeds",
      );
      assert.ok(!/Uncaught/.test(main.output()), "no uncaught error was printed");
      assert.equal(await stopMain(main, { ms: 20_000 }), 0);
    } finally {
      await kill(main);
      await pg.destroy();
    }
  },
});

async function waitFor(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const unhandled = (output: string) =>
  output.split("\n").filter((l) => l.includes("http.unhandled")).slice(0, 5).join("\n");
