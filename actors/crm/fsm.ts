/**
 * Transition tables: each trigger names the states it may fire from and the state it leads
 * to. The case, ticket and port-request machines (docs/domain.md §3) are written as such tables.
 *
 * @module
 */

/** One trigger of a machine. */
export interface Move<S extends string> {
  from: readonly S[];
  to: S;
}

/** A machine: trigger → move. */
export type Machine<S extends string, T extends string> = Readonly<Record<T, Move<S>>>;

/** The state `trigger` leads to from `state`, or undefined when it may not fire there. */
export function nextState<S extends string, T extends string>(
  machine: Machine<S, T>,
  state: S,
  trigger: T,
): S | undefined {
  const move = machine[trigger];
  return move.from.includes(state) ? move.to : undefined;
}

/** The states `trigger` fires from, as a refusal names them ("in_progress or pending"). */
export function firesFrom<S extends string, T extends string>(
  machine: Machine<S, T>,
  trigger: T,
): string {
  return machine[trigger].from.join(" or ");
}
