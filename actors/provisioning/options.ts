/**
 * What the provisioning simulator takes from outside: the work-time scale
 * (`BSS_PROVISIONING_DELAY_SCALE`), the randomness behind fault probabilities and slowness,
 * and the eSIM provider seam (`BSS_ESIM_PROVIDER`, `sim` by default). Every field has a
 * default.
 *
 * @module
 */

/** What the eSIM provider answers to a profile preparation. */
export type EsimVerdict = { approved: true } | { approved: false; reason: string };

/** Prepares the eSIM profile of an `ESIM_PROFILE_PREPARE` task (a decline fails the attempt). */
export type EsimProvider = (task: {
  taskId: string;
  serviceId: string;
  payload: Record<string, unknown>;
}) => Promise<EsimVerdict>;

/** Options of the provisioning simulator. */
export interface ProvisioningOptions {
  /** Multiplies every simulated work time: 1 as specified, 0 instant. Default 1. */
  delayScale?: number;
  /** Uniform on [0, 1): fault rolls and slowness. Default `Math.random`. */
  random?: () => number;
  /** Default {@link simEsimProvider}. */
  esimProvider?: EsimProvider;
}

/** The options with every default filled in. */
export type ResolvedOptions = Required<ProvisioningOptions>;

/** The `sim` eSIM provider: every profile is prepared. */
export const simEsimProvider: EsimProvider = () => Promise.resolve({ approved: true });

/** Fills in the defaults; a negative or non-finite scale is a configuration error. */
export function resolveOptions(options: ProvisioningOptions = {}): ResolvedOptions {
  const delayScale = options.delayScale ?? 1;
  if (!(delayScale >= 0) || !Number.isFinite(delayScale)) {
    throw new RangeError(`provisioning delay scale must be a finite number ≥ 0: ${delayScale}`);
  }
  return {
    delayScale,
    random: options.random ?? Math.random,
    esimProvider: options.esimProvider ?? simEsimProvider,
  };
}
