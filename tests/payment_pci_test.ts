/**
 * No card number is ever stored or logged: every card flow of the payment service runs with
 * the test cards, then every text and JSON column of every table (payment, audit and bus
 * included) and every captured log line are searched for those numbers, in each spelling.
 */
import assert from "node:assert/strict";
import type { PaymentGateway } from "../actors/payment/gateway.ts";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { endpoints } from "../http/payment/index.ts";
import type { Sql } from "../kernel/db/types.ts";
import { configureLog } from "../kernel/log.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, type TestServer } from "./support/http.ts";

const CARDS = [
  "4242424242424242",
  "4000000000000002",
  "4000000000009995",
  "5555555555554444",
  "4242424242424241", // fails Luhn
];
/** Each card as typed: bare, in groups of four with spaces, with dashes. */
const SPELLINGS = CARDS.flatMap((n) => {
  const groups = n.match(/.{1,4}/g)!;
  return [n, groups.join(" "), groups.join("-")];
});

const lines: string[] = [];
configureLog("debug", (line) => lines.push(line));

const db = await freshDatabase("payment_pci");
const broken: PaymentGateway = {
  provider: "mock",
  charge: () => Promise.reject(new Error("gateway down")),
};
const server = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }),
});
const erroring = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }, { gateway: broken }),
});

const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
const PAYMENTS = "/tmf-api/paymentManagement/v4/payment";

async function post(on: TestServer, path: string, json: unknown) {
  return await reply(await on.request(path, { method: "POST", json }));
}

/** Every reply body seen, to check that none echoes a card number either. */
const replies: unknown[] = [];

/** Every flow a card takes: tokenize, register, charge (all outcomes), replay, remove. */
async function runCardFlows() {
  for (const [i, cardNumber] of CARDS.slice(0, 4).entries()) {
    const customerId = `CUST-0000000${i}`;
    const card = tokenizeCard({ cardNumber, expMonth: 12, expYear: 2099 });
    const method = await post(server, METHODS, { customerId, ...card });
    const charge = {
      customerId,
      paymentMethodId: method.body.id,
      amount: "25.00",
      purpose: "activation",
      idempotencyKey: `activation:ORD-000${i}`,
    };
    replies.push(
      method,
      await post(server, PAYMENTS, charge),
      await post(server, PAYMENTS, charge),
      await post(server, PAYMENTS, { ...charge, amount: "0", idempotencyKey: undefined }),
      await post(erroring, PAYMENTS, { ...charge, idempotencyKey: undefined }),
      await post(server, PAYMENTS, {
        ...charge,
        customerId: "CUST-ffffffff",
        idempotencyKey: undefined,
      }),
      await post(server, `${METHODS}/${method.body.id}/setDefault`, undefined),
    );
    const removed = await server.request(`${METHODS}/${method.body.id}`, { method: "DELETE" });
    await removed.body?.cancel();
  }
  // A card number sent where a token belongs is refused before anything is written.
  for (const providerToken of [CARDS[0], `pm_${CARDS[0]}`]) {
    const r = await post(server, METHODS, {
      customerId: "CUST-0000000a",
      tokenizationProvider: "stripe",
      providerToken,
      cardSummary: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2099 },
    });
    assert.equal(r.status, 422);
    replies.push(r);
  }
  assert.throws(() => tokenizeCard({ cardNumber: CARDS[4], expMonth: 12, expYear: 2099 }));
}

/** `[schema.table.column, spelling]` for every text or JSON column holding a card number. */
async function cardNumbersInDatabase(sql: Sql = db.sql): Promise<string[][]> {
  const columns = await sql`
    select table_schema, table_name, column_name from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where t.table_type = 'BASE TABLE'
      and table_schema not in ('pg_catalog', 'information_schema')
      and c.udt_name in ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text')`;
  assert.ok(
    ["payment", "audit", "bus"].every((s) => columns.some((c) => c.table_schema === s)),
    "payment, audit and bus are searched",
  );
  const hits: string[][] = [];
  for (const { table_schema, table_name, column_name } of columns) {
    const [t, c] = [sql(`${table_schema}.${table_name}`), sql(column_name)];
    const [{ found }] = await sql`
      select coalesce(array_agg(distinct s), '{}') as found
      from ${t}, unnest(${SPELLINGS}::text[]) as s
      where position(s in ${c}::text) > 0`;
    for (const s of found) hits.push([`${table_schema}.${table_name}.${column_name}`, s]);
  }
  return hits;
}

Deno.test("no card number reaches the database, a log line or a reply", async () => {
  await runCardFlows();
  const [{ attempts, methods, events }] = await db.sql`
    select (select count(*)::int from payment.payment_attempt) as attempts,
      (select count(*)::int from payment.payment_method) as methods,
      (select count(*)::int from audit.domain_event) as events`;
  assert.ok(attempts >= 12 && methods === 4 && events > 16, "the flows wrote rows");
  assert.ok(lines.some((l) => l.includes("payment.gateway_failed")), "log lines were captured");

  assert.deepEqual(await cardNumbersInDatabase(), []);
  const leaks = (text: string) => SPELLINGS.filter((s) => text.includes(s));
  assert.deepEqual(lines.flatMap(leaks), []);
  assert.deepEqual(leaks(JSON.stringify(replies)), []);
});

Deno.test("the search would find a planted number (in a rolled-back transaction)", async () => {
  const planted = new Error("roll back");
  await assert.rejects(
    db.sql.begin(async (tx) => {
      await tx`update payment.payment_method set token = ${`tok_${SPELLINGS[4]}`}
        where id = (select min(id) from payment.payment_method)`;
      await tx`update audit.domain_event set payload = payload || ${tx.json({ pan: CARDS[1] })}
        where id = (select min(id) from audit.domain_event)`;
      assert.deepEqual((await cardNumbersInDatabase(tx)).sort(), [
        ["audit.domain_event.payload", CARDS[1]],
        ["payment.payment_method.token", SPELLINGS[4]],
      ]);
      throw planted;
    }),
    planted,
  );
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    configureLog("info", (line) => console.error(line));
    await server.stop();
    await erroring.stop();
    await db.drop();
  },
});
