/**
 * Subscription test support: the subscription service with its real neighbours — CRM with
 * the inventory, catalog and payment (mock gateway), reference data seeded — each on an
 * ephemeral port, one actor system hosting customers and subscriptions, and helpers that
 * make customers, cards, reserved lines and active subscriptions through the typed routes.
 *
 * @module
 */
import type { z } from "zod";
import { ActorSystem } from "../../actors/runtime/system.ts";
import { seedReferenceData as seedCatalog } from "../../actors/catalog/seed.ts";
import { seedReferenceData as seedInventory } from "../../actors/inventory/seed.ts";
import { tokenizeCard } from "../../actors/payment/mock_tokenizer.ts";
import {
  type EffectRunner,
  type RunnerOptions,
  startEffectRunner,
} from "../../actors/effects/runner.ts";
import type { SubscriptionPorts } from "../../actors/subscription/ports.ts";
import * as catalog from "../../http/catalog/index.ts";
import type { Client } from "../../http/client.ts";
import { crmDomain, seedReferenceData as seedCrm } from "../../http/crm/index.ts";
import * as inventory from "../../http/inventory/index.ts";
import { reserveLineRoute } from "../../http/inventory/line.ts";
import * as payment from "../../http/payment/index.ts";
import {
  createPaymentMethod,
  setDefaultPaymentMethod,
} from "../../http/payment/payment_methods.ts";
import { subscriptionDomain } from "../../http/subscription/index.ts";
import { subscriptionPorts } from "../../http/subscription/ports.ts";
import { createSubscription } from "../../http/subscription/routes.ts";
import type { Subscription } from "../../http/subscription/schemas.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";
import { createCustomer } from "./crm.ts";
import { serveTest, testConfig, type TestServer } from "./http.ts";

/** Approves every charge. */
export const GOOD_CARD = "4242 4242 4242 4242";
/** Declines every charge (`card_declined`). */
export const DECLINING_CARD = "4000 0000 0000 0002";

/** The four services and the actor system of a subscription test. */
export interface SubscriptionWorld {
  db: TestDatabase;
  system: ActorSystem;
  crm: TestServer;
  catalog: TestServer;
  payment: TestServer;
  subscription: TestServer;
  /** The subscription domain's ports over the neighbours' clients. */
  ports: SubscriptionPorts;
  /** Replaces the saga's effect runner by one over `ports` (default: the world's). */
  runEffects(ports?: SubscriptionPorts, options?: Partial<RunnerOptions>): Promise<void>;
  /** A typed client of the subscription service. */
  client(): Client;
  /** Another subscription server on the same world, with `env` (e.g. admin flag off). */
  serveSubscription(env: Record<string, string>): TestServer;
  stop(): Promise<void>;
}

/** Starts the world on a fresh database (`env` goes to the subscription service). */
export async function startWorld(
  label: string,
  env: Record<string, string> = { BSS_ALLOW_ADMIN_RESET: "true" },
): Promise<SubscriptionWorld> {
  const db = await freshDatabase(label);
  const { sql } = db;
  await seedCatalog(sql);
  await seedInventory(sql);
  await seedCrm(sql);
  const system = new ActorSystem(sql, { pollMs: 50, workers: 2, backoffMs: 50 });
  const config = testConfig();
  const deps = { config, sql, system };
  const crm = crmDomain();
  const crmServer = serveTest({
    sql,
    service: "crm",
    endpoints: [...crm.endpoints(deps), ...inventory.endpoints(deps)],
  });
  const catalogServer = serveTest({ sql, service: "catalog", endpoints: catalog.endpoints(deps) });
  const paymentServer = serveTest({ sql, service: "payment", endpoints: payment.endpoints(deps) });
  const ports = subscriptionPorts({
    crm: crmServer.client(),
    catalog: catalogServer.client(),
    payment: paymentServer.client(),
  });
  const domain = subscriptionDomain(() => ports);
  for (const kind of [...crm.kinds, ...domain.kinds]) system.register(kind);
  await system.start();
  let effects: EffectRunner = await startEffectRunner(sql, domain.effects, {
    pollMs: 50,
    backoffMs: 50,
  });
  const serveSubscription = (env: Record<string, string>) =>
    serveTest({
      sql,
      service: "subscription",
      env,
      endpoints: domain.endpoints({ config: testConfig(env), sql, system }),
    });
  const subscription = serveSubscription(env);
  return {
    db,
    system,
    crm: crmServer,
    catalog: catalogServer,
    payment: paymentServer,
    subscription,
    ports,
    async runEffects(over = ports, options = {}) {
      await effects.stop();
      effects = await startEffectRunner(sql, subscriptionDomain(() => over).effects, {
        pollMs: 50,
        backoffMs: 50,
        ...options,
      });
    },
    client: () => subscription.client(),
    serveSubscription,
    async stop() {
      for (const s of [subscription, crmServer, catalogServer, paymentServer]) await s.stop();
      await effects.stop();
      await system.stop();
      await db.drop();
    },
  };
}

/** Registers a card for the customer; returns the payment method id. */
export async function addCard(
  world: SubscriptionWorld,
  customerId: string,
  cardNumber: string,
  { makeDefault = false } = {},
): Promise<string> {
  const client = world.payment.client();
  const token = tokenizeCard({ cardNumber, expMonth: 12, expYear: 2099 });
  const method = await client.call(createPaymentMethod, { body: { customerId, ...token } });
  if (makeDefault) {
    await client.call(setDefaultPaymentMethod, { params: { id: method.id } });
  }
  return method.id;
}

/** A customer with one card; returns both ids. */
export async function customerWithCard(
  world: SubscriptionWorld,
  cardNumber = GOOD_CARD,
): Promise<{ customerId: string; paymentMethodId: string }> {
  const customerId = await createCustomer(world.crm);
  return { customerId, paymentMethodId: await addCard(world, customerId, cardNumber) };
}

/** A reserved MSISDN and eSIM, as SOM leaves them before activation. */
export async function reservedLine(
  world: SubscriptionWorld,
): Promise<{ msisdn: string; iccid: string }> {
  const line = await world.crm.client().call(reserveLineRoute, { body: {} });
  return { msisdn: line.msisdn, iccid: line.iccid };
}

/** The create body for a fresh customer and line (override anything). */
export async function createBody(
  world: SubscriptionWorld,
  overrides: Partial<z.input<typeof createSubscription.body>> & { card?: string } = {},
): Promise<z.input<typeof createSubscription.body>> {
  const { card, ...rest } = overrides;
  const customer = await customerWithCard(world, card ?? GOOD_CARD);
  return {
    ...customer,
    ...(await reservedLine(world)),
    offeringId: "PLAN_S",
    commercialOrderId: `ORD-T${crypto.randomUUID().slice(0, 8)}`,
    ...rest,
  };
}

/** Creates an active subscription (PLAN_S unless told) and returns it. */
export async function activeSubscription(
  world: SubscriptionWorld,
  overrides: Parameters<typeof createBody>[1] = {},
): Promise<z.output<typeof Subscription>> {
  return await world.client().call(createSubscription, {
    body: await createBody(world, overrides),
  });
}
