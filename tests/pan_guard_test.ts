/**
 * The PAN guard end to end: card numbers (bare, in groups with spaces, with dashes) typed
 * into every free-text field an operator or a customer writes — names, case subjects,
 * descriptions and notes, interaction summaries and bodies, ticket subjects and descriptions,
 * port-request reasons — into the actor header, and into URL paths and query values (as typed
 * by hand and through the typed client) reach neither a full
 * `pg_dump` of the database (tables, audit events, outbox, mailboxes, stored spans) nor a log
 * line. The text itself is kept, masked as `•••• 4242`.
 */
import assert from "node:assert/strict";
import { serviceUrl } from "../http/service_client.ts";
import { luhn, maskPans, maskUrlPans } from "../kernel/pan.ts";
import { createClient } from "../http/client.ts";
import { getCustomer } from "../http/crm/customers.ts";
import { emit } from "../kernel/events.ts";
import { configureLog, log as logger } from "../kernel/log.ts";
import { freshDatabase } from "./support/db.ts";
import { startSystem } from "./support/system.ts";
import { TOKEN } from "./support/http.ts";

const PANS = ["4242424242424242", "5555555555554444", "4000000000000002", "378282246310005"];
/** Each card as typed: bare, in groups of four with spaces, with dashes. */
const SPELLINGS = PANS.flatMap((n) => {
  const groups = n.match(/.{1,4}/g)!;
  return [n, groups.join(" "), groups.join("-")];
});
/** A card's digits, with any single space or dash between them. */
const anySpelling = (pan: string) => new RegExp(pan.split("").join("[ -]?"));

Deno.test("maskPans: Luhn-valid 13–19 digit runs only, grouped or not", () => {
  assert.ok(PANS.every(luhn));
  assert.equal(maskPans("pay 4242 4242 4242 4242 now"), "pay •••• 4242 now");
  assert.equal(maskPans("4000-0000-0000-0002"), "•••• 0002");
  assert.equal(maskPans("order 4242424242424241"), "order 4242424242424241");
  assert.equal(maskPans("call 6591234567 or 12345"), "call 6591234567 or 12345");
  // A card inside a run of more than 19 digits is still found.
  assert.doesNotMatch(maskPans("ref 4242 4242 4242 4242 1234"), anySpelling(PANS[0]));
  assert.equal(maskPans("no digits"), "no digits");
});

Deno.test("maskUrlPans: path segments and query values, encoded or not; ICCIDs kept", () => {
  const base = "http://127.0.0.1:8002";
  assert.equal(
    maskUrlPans(`${base}/customer/4242424242424242/kyc`),
    `${base}/customer/${encodeURIComponent("•••• 4242")}/kyc`,
  );
  assert.equal(
    maskUrlPans(`${base}/case?customerId=4000%200000%200000%200002&limit=5`),
    `${base}/case?customerId=${encodeURIComponent("•••• 0002").replaceAll("%20", "+")}&limit=5`,
  );
  const kept = [
    `${base}/esim/8910101000000000005`,
    `${base}/order/ORD-0042?limit=20`,
    // A hex hash whose digits happen to hold a Luhn-valid run is an id, not a card.
    `${base}/chat-transcript/cd1ad918b94b6d7e4242424242424242ab30fa4b`,
    // A trace id that is all digits: longer than any card number.
    `${base}/audit-api/v1/trace/${"0".repeat(32)}`,
  ];
  for (const url of kept) assert.equal(maskUrlPans(url), url);
});

Deno.test({
  name: "card numbers through every free-text field: zero hits in pg_dump and logs",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const lines: string[] = [];
    configureLog("debug", (line) => lines.push(line));
    const sys = await startSystem("pan_guard");
    try {
      const base = serviceUrl(sys.config, "crm");
      let i = 0;
      const pan = () => SPELLINGS[i++ % SPELLINGS.length];
      const send = async (method: string, path: string, json: unknown) => {
        const r = await fetch(`${base}${path}`, {
          method,
          headers: {
            "x-bss-api-token": TOKEN,
            "content-type": "application/json",
            "x-bss-actor": pan(),
          },
          body: JSON.stringify(json),
        });
        const body = await r.json();
        assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(body)}`);
        return body;
      };
      const customer = await send("POST", "/tmf-api/customerManagement/v4/customer", {
        givenName: `Ann ${pan()}`,
        familyName: `Ong ${pan()}`,
        contactMedium: [{ mediumType: "email", value: `ann.${crypto.randomUUID()}@example.test` }],
      });
      const opened = await send("POST", "/crm-api/v1/case", {
        customer_id: customer.id,
        subject: `card ${pan()}`,
        description: `my card is ${pan()}, please help`,
      });
      await send("POST", `/crm-api/v1/case/${opened.id}/note`, { body: `noted ${pan()}` });
      await send("POST", "/tmf-api/customerInteractionManagement/v1/interaction", {
        customerId: customer.id,
        summary: `called about ${pan()}`,
        body: `customer read out ${pan()} twice`,
      });
      await send("POST", "/tmf-api/troubleTicket/v4/troubleTicket", {
        customerId: customer.id,
        subject: `ticket ${pan()}`,
        description: `details ${pan()}`,
      });
      const port = await send("POST", "/crm-api/v1/port-requests", {
        direction: "port_in",
        donorCarrier: "OtherTel",
        donorMsisdn: "98880001",
        requestedPortDate: "2030-06-15",
      });
      await send("POST", `/crm-api/v1/port-requests/${port.id}/reject`, {
        reason: `wrong PIN, card ${pan()}`,
      });
      assert.ok(i >= SPELLINGS.length, `only ${i} card spellings sent`);
      // Typed into a path or a query by hand: masked before the route sees it.
      const CUSTOMERS = "/tmf-api/customerManagement/v4/customer";
      for (const path of [`${CUSTOMERS}/${PANS[0]}`, `${CUSTOMERS}/by-msisdn/${PANS[1]}`]) {
        const r = await fetch(`${base}${path}`, { headers: { "x-bss-api-token": TOKEN } });
        const body = await r.json();
        assert.equal(r.status, 404, JSON.stringify(body));
        assert.doesNotMatch(JSON.stringify(body), /\d{13}/);
      }
      const listed = await fetch(
        `${base}/crm-api/v1/case?customerId=${encodeURIComponent(SPELLINGS[7])}`,
        { headers: { "x-bss-api-token": TOKEN } },
      );
      assert.equal(listed.status, 200, await listed.text());
      // Through the typed client (its client span records the URL).
      const client = createClient({ baseUrl: base, token: TOKEN, service: "pan-test" });
      await assert.rejects(
        client.call(getCustomer, { params: { id: PANS[3] } }),
        (e: Error) => !/\d{13}/.test(e.message),
      );

      await sys.telemetry.flush();
      const dump = await pgDump(sys.db.url);
      assert.ok(dump.includes("•••• 4242"), "free text is kept, masked");
      assert.ok(dump.includes("called about ••••"), "interaction summary kept, masked");
      // A line written with a card in it, beside whatever the flow logged.
      logger.warn("test.free_text", { note: `card ${SPELLINGS[1]}`, actor: SPELLINGS[2] });
      const log = lines.join("\n");
      assert.ok(log.includes("test.free_text"), "logs were captured");
      for (const p of PANS) {
        assert.doesNotMatch(dump, anySpelling(p), `card ${p} in pg_dump`);
        assert.doesNotMatch(log, anySpelling(p), `card ${p} in a log line`);
      }
    } finally {
      await sys.stop();
      configureLog("info", (line) => console.error(line));
    }
  },
});

/** The whole database as SQL text (schema and data). */
async function pgDump(url: string): Promise<string> {
  const out = await new Deno.Command("pg_dump", { args: ["--no-owner", url] }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name: "an event written off the HTTP path is masked too",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("pan_guard_events");
    try {
      const [event] = await emit(db.sql, {
        type: "test.noted",
        aggregateType: "test",
        aggregateId: "T-1",
        payload: { note: `card ${SPELLINGS[1]}`, iccid: "8910101000000000005" },
      });
      const [row] = await db.sql`
        select payload from audit.domain_event where event_id = ${event.eventId}`;
      assert.deepEqual(row.payload, { note: "card •••• 4242", iccid: "8910101000000000005" });
      const [out] = await db.sql`select payload from bus.outbox where event_id = ${event.eventId}`;
      assert.deepEqual(out.payload, row.payload);
    } finally {
      await db.drop();
    }
  },
});
