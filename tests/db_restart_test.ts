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
    const createCustomer = async (i: number) => {
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
      await r?.body?.cancel();
      return r?.status ?? 0;
    };
    try {
      await waitHealthy(main, offset, { ms: 90_000 });
      let exited = false;
      main.exited.then(() => exited = true);

      // Four clients write through the customer actor throughout.
      const statuses: number[] = [];
      let loading = true;
      let n = 0;
      const load = Promise.all(Array.from({ length: 4 }, async () => {
        while (loading) {
          statuses.push(await createCustomer(n++));
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
      const before = statuses.length;
      await waitFor(() => Promise.resolve(statuses.length >= before + 40), 60_000);
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
      // A request in flight at the restart may fail; the ones sent once ready must not.
      const after = statuses.slice(before + 4);
      assert.deepEqual(after.filter((s) => s !== 201), [], "every write succeeds once ready");
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
