/**
 * Request id: the caller's `X-Request-ID`, or a fresh UUID, echoed as `x-request-id` on every
 * reply (401s and errors included) so a caller can quote it.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

// Echoed into headers and logs: printable ASCII of sane length only, else we mint one.
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

/** Sets `requestId` and the `x-request-id` reply header. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && ACCEPTABLE.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
};
