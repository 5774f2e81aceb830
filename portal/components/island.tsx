/**
 * The server side of an island: renders the component inside a marker carrying its props,
 * and notes the island so the page links its bundle (see `islands/build.ts`). Rendering is
 * synchronous, so the note is taken per render with {@link collectIslands}.
 *
 * @module
 */
import type { ComponentType, JSX } from "preact";
import type { IslandName } from "../islands/build.ts";

let used: Set<IslandName> | undefined;

/** Runs `render` and returns what it rendered and the islands it used. */
export function collectIslands<T>(render: () => T): { value: T; islands: IslandName[] } {
  const previous = used;
  used = new Set();
  try {
    const value = render();
    return { value, islands: [...used] };
  } finally {
    used = previous;
  }
}

/** An island `name` rendering `component` with `props` (plain JSON). */
export function Island<P extends Record<string, unknown>>(
  { name, component: C, props }: { name: IslandName; component: ComponentType<P>; props: P },
): JSX.Element {
  used?.add(name);
  return (
    <div data-island={name} data-props={JSON.stringify(props)}>
      <C {...props} />
    </div>
  );
}
