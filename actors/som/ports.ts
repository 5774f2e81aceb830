/**
 * What SOM needs from other services, as plain functions (HTTP wiring in
 * `http/som/ports.ts`).
 *
 * @module
 */

/** A reserved line: number and profile, linked. */
export interface ReservedLine {
  msisdn: string;
  iccid: string;
  imsi: string;
  activationCode: string | null;
}

/** The CFS and RFS specifications an offering decomposes into. */
export interface ServiceMappingFacts {
  cfs: string;
  rfs: string[];
}

/** SOM's outside dependencies. */
export interface SomPorts {
  /** The catalog's service mapping of an offering (a call; effects only). */
  serviceMapping(offeringId: string): Promise<ServiceMappingFacts>;
  /** The mapping when this process has it at hand, with no call (for a turn). */
  knownServiceMapping(offeringId: string): ServiceMappingFacts | undefined;
  /**
   * Reserves the preferred number if free (else the lowest available) and a profile,
   * together, for `holder` (the commercial order): a repeat for the same holder answers the
   * line it holds. A PolicyViolation when a pool is empty.
   */
  reserveLine(preference: string | null, holder: string): Promise<ReservedLine>;
  /** Puts a line back in the pool; already-free items are skipped. */
  releaseLine(line: { msisdn: string; iccid: string }): Promise<void>;
}
