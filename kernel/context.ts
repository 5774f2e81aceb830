/**
 * Who is calling: actor, channel, service identity and tenant, carried through async work
 * with AsyncLocalStorage so audit rows and log lines attribute every write.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Attribution of the current unit of work. */
export interface CallerContext {
  /** Who acts: `cli-user`, `scenario:<name>`, a customer id, `system`, … */
  actor: string;
  /** Where from: `cli`, `portal-self-serve`, `system:renewal_worker`, … */
  channel: string;
  /** From the API token that authenticated the call, never from a header. */
  serviceIdentity: string;
  tenant: string;
  requestId?: string;
  /**
   * The customer chat's transcript so far, bound with the customer as actor by the agent
   * (docs/cockpit.md §4.5); `case.open_for_me` stores it and links it to the case it opens. Absent
   * outside a chat: the case is then opened without one.
   */
  transcript?: string;
}

/**
 * The attribution of internal work (event consumers, timers, sweeps): the services' own
 * identity, `service` — never `default`, the token an operator or integration holds.
 */
export const SYSTEM: CallerContext = {
  actor: "system",
  channel: "system",
  serviceIdentity: "service",
  tenant: "DEFAULT",
};

/** A local client acting as `actor` on `channel` (the CLI, the scenario runner). */
export function localCaller(actor: string, channel: string): CallerContext {
  return {
    actor,
    channel,
    serviceIdentity: "default",
    tenant: "DEFAULT",
    requestId: crypto.randomUUID(),
  };
}

const storage = new AsyncLocalStorage<CallerContext>();

/** Runs `fn` with `ctx` as the current caller. */
export function withCaller<T>(ctx: CallerContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The current caller, or {@link SYSTEM} outside any request or message. */
export function currentCaller(): CallerContext {
  return storage.getStore() ?? SYSTEM;
}
