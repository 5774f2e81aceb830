/**
 * Island: the signup stepper, moved on by the server's event stream for this signup
 * (`/signup/events?session=`); when the line is active the stream names the confirmation
 * page and the island goes there; a failed run shows why and the ways on. Without JavaScript
 * the page refreshes itself instead.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { Stepper } from "../components/stepper.tsx";
import type { NextStep } from "../signup_store.ts";

/** The stepper of signup `session`, live. */
export default function ActivationStepper(
  props: { session: string; step: number; failed: string | null; next: NextStep[] },
) {
  const [state, setState] = useState({ step: props.step, failed: props.failed, next: props.next });
  useEffect(() => {
    if (props.failed) return;
    const source = new EventSource(`/signup/events?session=${props.session}`);
    source.addEventListener("step", (e) => {
      const next = JSON.parse((e as MessageEvent).data);
      setState({ step: next.step, failed: next.failed ?? null, next: next.next ?? [] });
      if (next.redirect) location.assign(next.redirect);
      if (next.failed || next.redirect) source.close();
    });
    return () => source.close();
  }, []);
  return (
    <>
      <Stepper step={state.step} failed={state.failed} />
      {state.failed && state.next.length > 0 && (
        <p class="actions">
          {state.next.map((n, i) => (
            <a class={i ? "button secondary" : "button"} href={n.href}>{n.label}</a>
          ))}
        </p>
      )}
    </>
  );
}
