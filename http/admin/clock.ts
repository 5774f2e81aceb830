/**
 * The BSS clock over HTTP (docs/http.md §10), mounted on every service: read it freely; freeze,
 * unfreeze, advance and reset it only when `BSS_ALLOW_ADMIN_RESET` is on (else 403
 * ADMIN_CLOCK_DISABLED). The clock is shared through Postgres, so any service moves it for all.
 *
 * @module
 */
import { z } from "zod";
import { clock, parseDuration } from "../../kernel/clock.ts";
import type { Deps } from "../env.ts";
import { HttpError } from "../errors.ts";
import { parseInstant } from "../instant.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

const BASE = "/admin-api/v1/clock";

/** The clock as every clock route replies it. */
export const ClockState = z.object({
  mode: z.enum(["wall", "frozen"]),
  now: z.iso.datetime({ offset: true }),
  offsetSeconds: z.number(),
  frozenAt: z.iso.datetime({ offset: true }).nullable(),
});

/** `GET /admin-api/v1/clock/now`. */
export const clockNow = defineRoute({
  method: "GET",
  path: `${BASE}/now`,
  summary: "The BSS clock",
  response: ClockState,
});

/** `POST /admin-api/v1/clock/freeze`. */
export const clockFreeze = defineRoute({
  method: "POST",
  path: `${BASE}/freeze`,
  summary: "Freeze at `at` (ISO-8601, naive = UTC; default now); 422 INVALID_AT",
  body: z.object({ at: z.string().nullish() }).optional(),
  response: ClockState,
});

/** `POST /admin-api/v1/clock/unfreeze`. */
export const clockUnfreeze = defineRoute({
  method: "POST",
  path: `${BASE}/unfreeze`,
  summary: "Back to wall time, keeping the offset",
  response: ClockState,
});

/** `POST /admin-api/v1/clock/advance`. */
export const clockAdvance = defineRoute({
  method: "POST",
  path: `${BASE}/advance`,
  summary: "Move the clock forward by `<N>s|m|h|d`; 422 INVALID_DURATION",
  body: z.object({ duration: z.string() }),
  response: ClockState,
});

/** `POST /admin-api/v1/clock/reset`. */
export const clockReset = defineRoute({
  method: "POST",
  path: `${BASE}/reset`,
  summary: "Back to wall time: no offset, not frozen",
  response: ClockState,
});

/** The clock endpoints. */
export function clockEndpoints({ config, sql }: Pick<Deps, "config" | "sql">): Endpoint[] {
  const allowed = () => {
    if (!config.BSS_ALLOW_ADMIN_RESET) {
      const message = "clock changes are disabled (BSS_ALLOW_ADMIN_RESET)";
      throw new HttpError(403, { code: "ADMIN_CLOCK_DISABLED", message });
    }
  };
  return [
    endpoint(clockNow, () => clock.state()),
    endpoint(clockFreeze, ({ body }) => {
      allowed();
      const text = body?.at;
      const at = text == null ? undefined : parseInstant(text);
      if (text != null && !at) {
        throw new HttpError(422, {
          code: "INVALID_AT",
          message: `not an ISO-8601 instant: ${text}`,
        });
      }
      return clock.freeze(sql, at);
    }),
    endpoint(clockUnfreeze, () => {
      allowed();
      return clock.unfreeze(sql);
    }),
    endpoint(clockReset, () => {
      allowed();
      return clock.reset(sql);
    }),
    endpoint(clockAdvance, ({ body }) => {
      allowed();
      const seconds = parseDuration(body.duration);
      if (seconds === undefined) {
        const message = `duration must look like 30s, 15m, 2h or 30d: ${body.duration}`;
        throw new HttpError(422, { code: "INVALID_DURATION", message });
      }
      return clock.advance(sql, seconds);
    }),
  ];
}
