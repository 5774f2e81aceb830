/**
 * The `portal-csr` role: the operator's browser CRM on port 9002 (+ offset), in the all-in-one
 * process or alone (`deno task start --role portal-csr`). It hosts no actors and consumes no
 * events: it calls the services through the tool registry with the operator cockpit's token,
 * acting as the operator (`BSS_OPERATOR`) on channel `portal-csr`.
 *
 * @module
 */
import type { Role } from "../../http/roles.ts";
import { csrApp } from "./app.tsx";

/** The operator CRM's port before `BSS_PORT_OFFSET`. */
export const CSR_PORT = 9002;

/** The operator's browser CRM as a role. */
export const portalCsrRole: Role = {
  service: { name: "portal-csr", port: CSR_PORT, prefixes: [], shared: [] },
  kinds: () => [],
  bindings: [],
  endpoints: () => [],
  app: csrApp,
  unavailable: (config) =>
    config.outboundTokens.operator_cockpit
      ? undefined
      : "BSS_OPERATOR_COCKPIT_API_TOKEN is not set (the CRM calls the services with it)",
};
