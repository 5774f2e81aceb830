/**
 * One line on the dashboard: state, plan, number, a bar per allowance (low at 10 % or less,
 * exhausted at nothing left, unlimited), days to renewal, the pending plan change banner, and
 * the actions its state allows. Rendered on the server and, live, by the `LiveLines` island
 * from the same {@link LineView}.
 *
 * @module
 */
import { allowanceName, included, msisdnText, quantity } from "./format.ts";

/** A bar of one allowance. */
export interface BarView {
  type: string;
  remaining: number;
  total: number;
  unit: string;
}

/** What a line card shows (plain JSON: it is an island's props and an SSE payload). */
export interface LineView {
  id: string;
  state: string;
  planName: string;
  msisdn: string;
  bars: BarView[];
  /** Whole days to the next renewal; null when terminated or unknown. */
  daysToRenewal: number | null;
  pendingPlanName: string | null;
  pendingEffectiveAt: string | null;
  terminatedAt: string | null;
}

/** `low`, `exhausted`, `unlimited` or `ok`, and the percentage left. */
export function barState(b: BarView): { state: string; pct: number } {
  if (b.total < 0) return { state: "unlimited", pct: 100 };
  const pct = b.total === 0 ? 0 : Math.round((b.remaining / b.total) * 100);
  if (b.remaining <= 0 && b.total > 0) return { state: "exhausted", pct: 0 };
  if (pct > 0 && pct <= 10) return { state: "low", pct };
  return { state: "ok", pct };
}

function Bar({ bar }: { bar: BarView }) {
  const { state, pct } = barState(bar);
  const label = allowanceName(bar.type);
  const left = bar.total < 0
    ? "Unlimited"
    : `${quantity(bar.remaining, bar.unit)} of ${quantity(bar.total, bar.unit)} left`;
  return (
    <div class={`balance balance--${bar.type}`} data-state={state}>
      <div class="meta">
        <span>{label}</span>
        <span class="balance-left">{left}</span>
      </div>
      <div
        class={`bar ${state}`}
        role="meter"
        aria-label={`${label} left`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <span style={bar.total < 0 ? undefined : `width:${pct}%`} />
      </div>
    </div>
  );
}

/** Hidden inputs every form of the card carries. */
export interface CardForms {
  csrf: string;
}

/** The card. */
export function LineCard({ line, csrf }: { line: LineView; csrf: string }) {
  const live = line.state !== "terminated";
  const bars = line.bars.filter(included);
  return (
    <article class={`card line-card line-card--${line.state}`} data-line={line.id}>
      <h2>
        {line.planName} <span class={`state ${line.state}`}>{line.state.replace("_", " ")}</span>
      </h2>
      <p class="line-card-msisdn">{msisdnText(line.msisdn)}</p>
      {line.state === "blocked" && (
        <p class="banner" role="status">Your data is used up: top up to get going again.</p>
      )}
      {line.pendingPlanName && (
        <div class="banner pending-plan-change">
          Switching to {line.pendingPlanName} at your next renewal
          {line.pendingEffectiveAt ? ` (${line.pendingEffectiveAt.slice(0, 10)})` : ""}.
          <form method="post" action="/plan/change/cancel" class="inline">
            <input type="hidden" name="csrf" value={csrf} />
            <input type="hidden" name="subscription_id" value={line.id} />
            <button type="submit" class="secondary">Keep my current plan</button>
          </form>
        </div>
      )}
      {live && bars.map((b) => <Bar key={b.type} bar={b} />)}
      {live && line.daysToRenewal !== null && (
        <p class="muted">Renews in {line.daysToRenewal} day{line.daysToRenewal === 1 ? "" : "s"}</p>
      )}
      {!live && <p class="muted">Cancelled on {line.terminatedAt?.slice(0, 10)}</p>}
      {live && (
        <div class="actions">
          {(line.state === "active" || line.state === "blocked") && (
            <a
              class="button"
              href={`/top-up?subscription=${line.id}${
                line.state === "blocked" ? "&context=blocked" : ""
              }`}
            >
              Top up
            </a>
          )}
          {(line.state === "active" || line.state === "blocked") && (
            <a class="button secondary" href={`/plan/change?subscription=${line.id}`}>
              Switch plan
            </a>
          )}
          <a class="button secondary" href={`/esim/${line.id}`}>Show eSIM</a>
          <a class="button secondary" href={`/subscription/${line.id}/cancel`}>Cancel line</a>
        </div>
      )}
    </article>
  );
}
