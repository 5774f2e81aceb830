/**
 * The customer chat's output trip-wire (docs/handbook, the chat runbooks): every customer id
 * found at a self-serve tool's ownership paths (tools/registry.ts `OWNERSHIP_PATHS`) must be
 * the bound customer's. A result naming anyone else is withheld from the model and the turn
 * ends — a second line of defence behind the wrappers' own ownership checks. Missing keys
 * never trip; a tool with no paths has nothing to check.
 *
 * @module
 */
import { OWNERSHIP_PATHS } from "../../tools/registry.ts";
import type { ResultGuard } from "./agent_tools.ts";

/** The leaves `path` reaches in `value` (`[*]` spreads a list; absent keys give nothing). */
export function leavesAt(value: unknown, path: string): unknown[] {
  let found: unknown[] = [value];
  for (const part of path.split(".").filter(Boolean)) {
    found = found.flatMap((v) => {
      if (part === "[*]") return Array.isArray(v) ? v : [];
      if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
      return Object.hasOwn(v, part) ? [(v as Record<string, unknown>)[part]] : [];
    });
  }
  return found;
}

/** What a trip reports: the tool, the path, the id found and the one expected. */
export interface OwnershipTrip {
  tool: string;
  path: string;
  found: unknown;
  expected: string;
}

/**
 * The guard for `customerId`; `onTrip` is told of each trip (the log and the customer's
 * interaction). The message returned stops the turn.
 */
export function ownershipGuard(
  customerId: string,
  onTrip: (trip: OwnershipTrip) => void,
  paths: Readonly<Record<string, readonly string[]>> = OWNERSHIP_PATHS,
): ResultGuard {
  return (tool, result) => {
    // A tool outside the map is not offered to the chat; refuse rather than pass it through.
    const toolPaths = paths[tool];
    if (!toolPaths) return `AgentOwnershipViolation: ${tool} has no ownership paths`;
    for (const path of toolPaths) {
      const found = leavesAt(result, path).find((leaf) => leaf !== customerId);
      if (found !== undefined) {
        onTrip({ tool, path, found, expected: customerId });
        return `AgentOwnershipViolation: ${tool}`;
      }
    }
    return undefined;
  };
}
