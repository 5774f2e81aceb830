/**
 * Order pipeline test support: CRM (with inventory), catalog, payment, COM and SOM served on
 * ephemeral ports against one fresh database, one actor system hosting their kinds, the
 * brokerless bridge carrying their events through Postgres, and two in-test stand-ins for
 * services built elsewhere:
 *
 * - a provisioning responder (kind `test_provisioner`, queue `test.provisioning.task.created`)
 *   that answers each `provisioning.task.created` with the outcome `provisioning(taskType)`
 *   chooses, as the provisioning simulator's events (docs/flows.md §5.1 payloads);
 * - `createSubscription`, idempotent per order, declining the customers in `declines`.
 *
 * @module
 */
import { startBridge } from "../../actors/bridge/bridge.ts";
import type { Binding } from "../../actors/bridge/types.ts";
import type { SubscriptionInput } from "../../actors/com/ports.ts";
import { tokenizeCard } from "../../actors/payment/mock_tokenizer.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { seedReferenceData } from "../../actors/seed.ts";
import { clock } from "../../kernel/clock.ts";
import type { Config } from "../../kernel/config.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Client } from "../../http/client.ts";
import * as catalog from "../../http/catalog/index.ts";
import * as com from "../../http/com/index.ts";
import { getProductOrder } from "../../http/com/product_orders.ts";
import { crmDomain } from "../../http/crm/index.ts";
import * as inventory from "../../http/inventory/index.ts";
import * as payment from "../../http/payment/index.ts";
import { createPaymentMethod } from "../../http/payment/payment_methods.ts";
import * as som from "../../http/som/index.ts";
import { waitFor } from "./bridge.ts";
import { attestKyc, createCustomer } from "./crm.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";
import { serveTest, testConfig, type TestServer } from "./http.ts";

/** What the responder answers a task with. */
export type TaskOutcome = "completed" | "failed" | "stuck" | "silent";

/** A running pipeline for one test file. */
export interface Pipeline {
  db: TestDatabase;
  config: Config;
  system: ActorSystem;
  crm: TestServer;
  payment: TestServer;
  com: TestServer;
  som: TestServer;
  /** Every createSubscription call, in order. */
  subscriptions: SubscriptionInput[];
  /** Customers whose activation charge is declined. */
  declines: Set<string>;
  /** The responder's choice per task type (default: every task completes). */
  provisioning: (taskType: string) => TaskOutcome;
  /** Starts the bridge (started at once unless `bridge: false` was passed). */
  startBridge(): Promise<void>;
  /** An active, KYC-verified customer with a card on file. */
  customer(options?: { kyc?: boolean; card?: boolean }): Promise<string>;
  /** Waits until every staged event is delivered and every mailbox is empty. */
  settled(): Promise<void>;
  /** Polls the order until it is in `state`; returns it. */
  orderIn(id: string, state: string): Promise<Awaited<ReturnType<typeof readOrder>>>;
  stop(): Promise<void>;
}

function readOrder(client: Client, id: string) {
  return client.call(getProductOrder, { params: { id } });
}

const RESPONDER = "test_provisioner";

/** The provisioning simulator's answers, as a test actor. */
function responderKind(pipeline: () => Pipeline): ActorKind {
  return {
    kind: RESPONDER,
    service: "provisioning-sim",
    handle(turn, m) {
      const outcome = pipeline().provisioning(String(m.taskType));
      if (outcome === "silent") return;
      const at = turn.now().toISOString();
      turn.emit({
        type: `provisioning.task.${outcome}`,
        aggregateType: "provisioning_task",
        aggregateId: turn.key,
        payload: {
          taskId: turn.key,
          serviceId: m.serviceId,
          serviceOrderId: m.serviceOrderId,
          commercialOrderId: m.commercialOrderId,
          taskType: m.taskType,
          attempts: outcome === "failed" ? 3 : 1,
          maxAttempts: 3,
          ...(outcome === "completed" && { completedAt: at }),
          ...(outcome === "failed" && { lastError: "simulated failure", permanent: true }),
          ...(outcome === "stuck" && { startedAt: at }),
        },
      });
    },
  };
}

const responderBinding: Binding = {
  queue: "test.provisioning.task.created",
  pattern: "provisioning.task.created",
  to: (e) => ({
    kind: RESPONDER,
    key: `${e.payload.serviceId}:${e.payload.taskType}`,
    message: { ...e.payload, type: "run" },
  }),
};

/** Starts the pipeline on a fresh database named after `label`. */
export async function startPipeline(
  label: string,
  { bridge: bridgeNow = true, env = {} }: { bridge?: boolean; env?: Record<string, string> } = {},
): Promise<Pipeline> {
  const db = await freshDatabase(label);
  const { sql } = db;
  await clock.refresh(sql);
  await seedReferenceData(sql);
  const stops: Array<() => Promise<void>> = [];
  const crmPart = crmDomain();
  const system = new ActorSystem(sql, { pollMs: 20, workers: 2, backoffMs: 50 });
  const bootConfig = testConfig(env);
  const crm = serveTest({
    sql,
    service: "crm",
    endpoints: [
      ...crmPart.endpoints({ config: bootConfig, sql, system }),
      ...inventory.endpoints({ config: bootConfig, sql }),
    ],
  });
  const catalogServer = serveTest({
    sql,
    service: "catalog",
    endpoints: catalog.endpoints({ sql }),
  });
  const paymentServer = serveTest({
    sql,
    service: "payment",
    endpoints: payment.endpoints({ sql }),
  });
  const somServer = serveTest({ sql, service: "som", endpoints: som.endpoints({ sql, system }) });
  const config = testConfig({
    BSS_OUTBOX_RELAY_INTERVAL_MS: "50",
    BSS_CRM_URL: crm.url,
    BSS_CATALOG_URL: catalogServer.url,
    BSS_PAYMENT_URL: paymentServer.url,
    BSS_SOM_URL: somServer.url,
    ...env,
  });
  const subscriptions: SubscriptionInput[] = [];
  const declines = new Set<string>();
  const createSubscription = (input: SubscriptionInput) => {
    subscriptions.push(input);
    if (declines.has(input.customerId)) {
      return Promise.reject(
        new PolicyViolation("subscription.create.requires_payment_success", "card declined", {
          paymentStatus: "declined",
          declineCode: "card_declined",
        }),
      );
    }
    const index = subscriptions.findIndex((s) => s.commercialOrderId === input.commercialOrderId);
    return Promise.resolve({ id: `SUB-${String(index + 1).padStart(4, "0")}` });
  };
  const options = { createSubscription };
  for (const kind of [...crmPart.kinds, ...com.kinds(config, options), ...som.kinds(config)]) {
    system.register(kind);
  }
  // The responder reads the pipeline's current choice when a task arrives.
  system.register(responderKind(() => pipeline));
  await system.start();
  const comServer = serveTest({
    sql,
    service: "com",
    endpoints: com.endpoints({ config, sql, system }, options),
  });
  stops.push(
    () => comServer.stop(),
    () => somServer.stop(),
    () => paymentServer.stop(),
    () => catalogServer.stop(),
    () => crm.stop(),
    () => system.stop(),
  );
  const comClient = comServer.client();
  const pipeline: Pipeline = {
    db,
    config,
    system,
    crm,
    payment: paymentServer,
    com: comServer,
    som: somServer,
    subscriptions,
    declines,
    provisioning: () => "completed",
    async startBridge() {
      const bridge = await startBridge({
        sql,
        config,
        bindings: [...com.bindings, ...som.bindings, responderBinding],
      });
      stops.unshift(() => bridge.stop());
    },
    async customer({ kyc = true, card = true } = {}) {
      const id = await createCustomer(crm);
      if (kyc) await attestKyc(crm, id);
      if (card) {
        const tokenized = tokenizeCard({
          cardNumber: "4242 4242 4242 4242",
          expMonth: 12,
          expYear: 2099,
        });
        await paymentServer.client().call(createPaymentMethod, {
          body: { customerId: id, ...tokenized },
        });
      }
      return id;
    },
    settled: () =>
      waitFor(async () => {
        const [{ n }] = await sql`
          select (select count(*) from bus.outbox) + (select count(*) from actor.mailbox) as n`;
        return Number(n) === 0;
      }, "the pipeline to settle"),
    async orderIn(id, state) {
      await waitFor(
        async () => (await readOrder(comClient, id)).state === state,
        `order ${id} to be ${state}`,
      );
      return await readOrder(comClient, id);
    },
    async stop() {
      for (const stop of stops.splice(0)) await stop();
      await db.drop();
    },
  };
  if (bridgeNow) await pipeline.startBridge();
  return pipeline;
}
