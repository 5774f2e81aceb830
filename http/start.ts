/**
 * Running roles in a booted process: one actor system hosting the roles' kinds, the event
 * bridge with their bindings, and each role's app on its port (+ `BSS_PORT_OFFSET`). `main.ts`
 * is the command around it; tests can call it directly.
 *
 * @module
 */
import { startBridge } from "../actors/bridge/bridge.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { Config } from "../kernel/config.ts";
import type { Pool } from "../kernel/db/types.ts";
import { createApp } from "./app.ts";
import { type RoleName, ROLES } from "./roles.ts";
import { type Fetcher, serve } from "./serve.ts";
import { log } from "../kernel/log.ts";

/** Roles running in this process. */
export interface Running {
  /** Service name → base URL. */
  urls: Record<string, string>;
  /** Stops accepting requests, then stops the actor system and the bridge. */
  stop(): Promise<void>;
}

/** The roles of `roles` that can run under `config`; each left out is logged with why. */
export function runnableRoles(config: Config, roles: RoleName[]): RoleName[] {
  return roles.filter((name) => {
    const why = ROLES[name].unavailable?.(config);
    if (why) log.warn("role.unavailable", { role: name, why });
    return !why;
  });
}

/**
 * Starts `roles` against a booted process's config and database. On failure (a port in
 * use, say) whatever had started is stopped again before the error is rethrown. A role that
 * cannot run under `config` fails the start with its reason.
 */
export async function startRoles(config: Config, sql: Pool, roles: RoleName[]): Promise<Running> {
  const selected = roles.map((name) => ROLES[name]);
  for (const name of roles) {
    const why = ROLES[name].unavailable?.(config);
    if (why) throw new Error(`role ${name} cannot start: ${why}`);
  }
  // Undo steps, pushed as things start; stopping runs them newest first.
  const started: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const undo of started.splice(0).reverse()) await undo();
  };
  try {
    const bindings = selected.flatMap((r) => r.bindings);
    const known = Object.values(ROLES).flatMap((r) => r.bindings);
    const bridge = await startBridge({ sql, config, bindings, known });
    started.push(() => bridge.stop());
    const system = new ActorSystem(sql, {
      workers: config.BSS_ACTOR_WORKERS,
      maxAttempts: config.BSS_ACTOR_MAX_ATTEMPTS,
      backoffMs: config.BSS_ACTOR_BACKOFF_MS,
      pollMs: config.BSS_ACTOR_POLL_MS,
      batchActors: config.BSS_ACTOR_BATCH_ACTORS,
      batchPerActor: config.BSS_ACTOR_BATCH_PER_ACTOR,
      askTimeoutMs: config.BSS_ASK_TIMEOUT_MS,
      sqlSpans: config.BSS_OTEL_SQL_SPANS,
    }, bridge.inline);
    for (const role of selected) for (const kind of role.kinds(config)) system.register(kind);
    await system.start();
    started.push(() => system.stop());

    const deps = { config, sql, system };
    const urls: Record<string, string> = {};
    for (const role of selected) {
      const stopBackground = role.background?.(deps);
      if (stopBackground) started.push(() => Promise.resolve(stopBackground()));
    }
    for (const { service, endpoints, app: ownApp } of selected) {
      const app: Fetcher = ownApp?.(deps) ??
        createApp({ service, config, sql, endpoints: endpoints(deps) });
      const server = serve(app, config.BSS_HOST, service.port + config.BSS_PORT_OFFSET);
      started.push(() => (app.stop?.(), server.shutdown()));
      urls[service.name] = server.url;
    }
    return { urls, stop };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
