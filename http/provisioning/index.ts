/**
 * The provisioning simulator (port 8010, `/provisioning-api/v1`) for the role table: its
 * endpoints (tasks, fault injection), its actor kinds (`provisioning_intake`,
 * `provisioning_task`) and its event binding (`provisioning.task.created` on
 * `provisioning-sim.task.created`). Wire the work-time scale from configuration:
 *
 * ```ts
 * kinds: provisioningKinds({ delayScale: config.BSS_PROVISIONING_DELAY_SCALE }),
 * ```
 *
 * @module
 */
import { taskCreatedBinding } from "../../actors/provisioning/binding.ts";
import { intakeKind } from "../../actors/provisioning/intake_kind.ts";
import type { ProvisioningOptions } from "../../actors/provisioning/options.ts";
import { taskKind } from "../../actors/provisioning/task_kind.ts";
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { faultInjectionEndpoints } from "./fault_injection.ts";
import { taskEndpoints } from "./tasks.ts";

// For the role table and tests: reference data to seed, and what the simulator depends on.
export { seedReferenceData } from "../../actors/provisioning/seed.ts";
export type { ProvisioningOptions } from "../../actors/provisioning/options.ts";

/** The simulator's kinds with `options` (defaults: see {@link ProvisioningOptions}). */
export function provisioningKinds(options: ProvisioningOptions = {}): ActorKind[] {
  return [intakeKind(options), taskKind(options)];
}

/** The simulator's actor kinds at the specified work times. */
export const kinds: ActorKind[] = provisioningKinds();

/** Every provisioning endpoint. */
export function endpoints(deps: Pick<Deps, "sql" | "system">): Endpoint[] {
  return [...taskEndpoints(deps), ...faultInjectionEndpoints(deps)];
}

/** `provisioning.task.created` → a new task. */
export const bindings: Binding[] = [taskCreatedBinding];
