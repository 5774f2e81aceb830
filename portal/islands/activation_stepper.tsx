/**
 * Island: the signup stepper, moved on by the server's event stream for this signup
 * (`/signup/events?session=`); when the line is active the stream names the confirmation
 * page and the island goes there. Without JavaScript the page refreshes itself instead.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { Stepper } from "../components/stepper.tsx";

/** The stepper of signup `session`, live. */
export default function ActivationStepper(
  props: { session: string; step: number; failed: string | null },
) {
  const [state, setState] = useState({ step: props.step, failed: props.failed });
  useEffect(() => {
    if (props.failed) return;
    const source = new EventSource(`/signup/events?session=${props.session}`);
    source.addEventListener("step", (e) => {
      const next = JSON.parse((e as MessageEvent).data);
      setState({ step: next.step, failed: next.failed ?? null });
      if (next.redirect) location.assign(next.redirect);
      if (next.failed || next.redirect) source.close();
    });
    return () => source.close();
  }, []);
  return <Stepper step={state.step} failed={state.failed} />;
}
