/**
 * The error model (docs/decisions.md): domain rules raise {@link PolicyViolation} (HTTP 422),
 * unknown ids {@link NotFound} (404). Both are answers, not failures: never retried.
 *
 * @module
 */

/** A broken business rule: `rule` is `<entity>.<operation>.<condition>`. */
export class PolicyViolation extends Error {
  override name = "PolicyViolation";
  readonly code = "POLICY_VIOLATION";
  constructor(
    readonly rule: string,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The wire body of the violation. */
  toJSON(): { code: string; rule: string; message: string; context: Record<string, unknown> } {
    return { code: this.code, rule: this.rule, message: this.message, context: this.context };
  }
}

/** A resource that does not exist. */
export class NotFound extends Error {
  override name = "NotFound";
  constructor(readonly thing: string, readonly id: string) {
    super(`${thing} ${id} not found`);
  }
}

/**
 * An outside provider (a payment gateway) could not be reached or failed: nothing was done,
 * and the same request may be sent again (HTTP 503).
 */
export class ProviderUnavailable extends Error {
  override name = "ProviderUnavailable";
  constructor(readonly provider: string, message: string) {
    super(message);
  }
}

/** A serialised answer-error as it crosses a mailbox reply or an HTTP hop. */
export type WireError =
  | { code: "POLICY_VIOLATION"; rule: string; message: string; context: Record<string, unknown> }
  | { code: "NOT_FOUND"; thing: string; id: string; message: string }
  | { code: "HANDLER_FAILED"; message: string };

/** Turns a thrown value into its wire form. */
export function toWireError(e: unknown): WireError {
  if (e instanceof PolicyViolation) return e.toJSON() as WireError;
  if (e instanceof NotFound) {
    return { code: "NOT_FOUND", thing: e.thing, id: e.id, message: e.message };
  }
  return { code: "HANDLER_FAILED", message: e instanceof Error ? e.message : String(e) };
}

/** Rebuilds the thrown value from its wire form. */
export function fromWireError(w: WireError): Error {
  switch (w.code) {
    case "POLICY_VIOLATION":
      return new PolicyViolation(w.rule, w.message, w.context);
    case "NOT_FOUND":
      return new NotFound(w.thing, w.id);
    default:
      return new Error(w.message);
  }
}

/** True for errors that are answers to the caller rather than failures to retry. */
export function isAnswer(e: unknown): boolean {
  return e instanceof PolicyViolation || e instanceof NotFound;
}
