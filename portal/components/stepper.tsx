/**
 * The signup stepper: create account → verify identity → add card → place order → activate
 * eSIM, with the current step highlighted.
 *
 * @module
 */

/** The steps, in order. */
export const STEPS = [
  "Create your account",
  "Verify your identity",
  "Add your card",
  "Place your order",
  "Activate your eSIM",
] as const;

/** The stepper at `step` (0-based; `STEPS.length` when all are done). */
export function Stepper({ step, failed }: { step: number; failed?: string | null }) {
  return (
    <div>
      <ol class="stepper" aria-label="Signup progress">
        {STEPS.map((label, i) => (
          <li
            class={i < step ? "done" : i === step ? "current" : ""}
            aria-current={i === step ? "step" : undefined}
          >
            {label}
          </li>
        ))}
      </ol>
      {failed && <p class="form-flash error" role="alert">{failed}</p>}
    </div>
  );
}
