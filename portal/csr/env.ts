/**
 * What the operator CRM's handlers work with: the configuration and the operator's tool
 * runner, and the request's CSRF secret.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { OperatorBss } from "./bss.ts";

/** The process-wide CRM. */
export interface Crm {
  config: Config;
  bss: OperatorBss;
}

/** Hono's environment for the CRM's routes. */
export interface CsrEnv {
  Variables: { crm: Crm; csrf: string };
}
