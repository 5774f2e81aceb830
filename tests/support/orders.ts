/**
 * Order pipeline test support: CRM (with inventory), catalog, payment, COM and SOM served on
 * ephemeral ports against one fresh database, one actor system hosting their kinds, the
 * brokerless bridge carrying their events through Postgres, and two in-test stand-ins for
 * services built elsewhere:
 *
 * - a provisioning responder (kind `test_provisioner`, queue `test.provisioning.task.created`)
 *   that answers each `provisioning.task.created` with the outcome `provisioning(taskType)`
 *   chooses, as the provisioning simulator's events (docs/flows.md §5.1 payloads);
 * - a subscription actor (kind `subscription`) that answers each activation request with
 *   `subscription_activated`, or `subscription_refused` for the customers in `declines`.
 *
 * @module
 */
import { startBridge } from "../../actors/bridge/bridge.ts";
import type { SubscriptionRequest } from "../../actors/com/ports.ts";
import type { Binding } from "../../actors/bridge/types.ts";
import { tokenizeCard } from "../../actors/payment/mock_tokenizer.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { seedReferenceData } from "../../actors/seed.ts";
import { clock } from "../../kernel/clock.ts";
import type { Config } from "../../kernel/config.ts";
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
  /** Every activation request the stand-in subscription actor handled, in order. */
  subscriptions: SubscriptionRequest[];
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

/** The subscription service's activation, as a test actor: approves unless declined. */
function subscriptionStandIn(pipeline: () => Pipeline): ActorKind {
  return {
    kind: "subscription",
    handle(turn, m) {
      const { type: _, notify, ...request } = m as unknown as Record<string, unknown> & {
        notify: { kind: string; key: string };
      };
      const p = pipeline();
      const seen = { ...request, subscriptionId: turn.key } as unknown as SubscriptionRequest;
      p.subscriptions.push(seen);
      turn.tell(
        notify.kind,
        notify.key,
        p.declines.has(seen.customerId)
          ? {
            type: "subscription_refused",
            subscriptionId: turn.key,
            serviceOrderId: request.serviceOrderId ?? null,
            rule: "subscription.create.requires_payment_success",
            message: "card declined",
            context: { paymentStatus: "declined", declineCode: "card_declined" },
          }
          : {
            type: "subscription_activated",
            subscriptionId: turn.key,
            cfsServiceId: request.cfsServiceId ?? null,
          },
      );
    },
  };
}

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
  const subscriptions: SubscriptionRequest[] = [];
  const declines = new Set<string>();
  for (const kind of [...crmPart.kinds, ...com.kinds(config), ...som.kinds(config)]) {
    system.register(kind);
  }
  // The stand-ins read the pipeline's current choices when a message arrives.
  system.register(responderKind(() => pipeline));
  system.register(subscriptionStandIn(() => pipeline));
  await system.start();
  const stopSomEffects = som.runEffects({ config, sql }, {}, { pollMs: 20, backoffMs: 20 });
  const comServer = serveTest({
    sql,
    service: "com",
    endpoints: com.endpoints({ config, sql, system }),
  });
  stops.push(
    () => comServer.stop(),
    () => somServer.stop(),
    () => paymentServer.stop(),
    () => catalogServer.stop(),
    () => crm.stop(),
    stopSomEffects,
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
