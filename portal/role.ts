/**
 * The `portal-self-serve` role: the customer portal on port 9001 (+ offset), in the
 * all-in-one process or alone (`deno task start --role portal-self-serve`). It hosts no
 * actors and consumes no binding queue: it calls the services through the tool registry with
 * its own named token, and follows domain events for its live pages (`portal/live.ts`: its
 * own throwaway queue on `bss.events` with a broker, the event log without).
 *
 * @module
 */
import type { Role } from "../http/roles.ts";
import { portalApp } from "./app.ts";
import { pepperProblem, PORTAL_PORT } from "./settings.ts";

/** The customer self-serve portal as a role. */
export const portalSelfServeRole: Role = {
  service: { name: "portal-self-serve", port: PORTAL_PORT, prefixes: [], shared: [] },
  kinds: () => [],
  bindings: [],
  endpoints: () => [],
  app: portalApp,
  unavailable: pepperProblem,
};
