/**
 * The inventory calls of the order pipeline, over CRM's typed inventory routes: reserve a
 * line (number + profile, atomically, for SOM) and put one back (SOM on a permanent failure
 * or a cancel, COM on a declined activation).
 *
 * @module
 */
import type { ReservedLine } from "../../actors/som/ports.ts";
import type { Config } from "../../kernel/config.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { log } from "../../kernel/log.ts";
import type { Client } from "../client.ts";
import { releaseEsimRoute } from "../inventory/esim.ts";
import { reserveLineRoute } from "../inventory/line.ts";
import { releaseMsisdnRoute } from "../inventory/msisdn.ts";
import { serviceClient } from "../service_client.ts";

/** Reserves a line through CRM for a service running with `config`. */
export function reserveLineOver(
  config: Config,
  caller: string,
): (preference: string | null, holder: string) => Promise<ReservedLine> {
  const crm = serviceClient(config, "crm", caller);
  return async (preference, holder) => {
    const line = await crm.call(reserveLineRoute, { body: { preference, holder } });
    return {
      msisdn: line.msisdn,
      iccid: line.iccid,
      imsi: line.imsi,
      activationCode: line.activation_code,
    };
  };
}

/** A release the inventory refuses because the item is already free: nothing to undo. */
async function tolerateFree(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof PolicyViolation)) throw e;
    log.info("inventory.release.skipped", { item: what, rule: e.rule });
  }
}

/** Puts a reserved profile and number back in the pool, skipping what is already free. */
export async function releaseLineWith(
  crm: Client,
  line: { msisdn: string; iccid: string },
): Promise<void> {
  await tolerateFree(
    line.iccid,
    () => crm.call(releaseEsimRoute, { params: { iccid: line.iccid } }),
  );
  await tolerateFree(
    line.msisdn,
    () => crm.call(releaseMsisdnRoute, { params: { msisdn: line.msisdn } }),
  );
}

/** {@link releaseLineWith} through CRM for a service running with `config`. */
export function releaseLineOver(
  config: Config,
  caller: string,
): (line: { msisdn: string; iccid: string }) => Promise<void> {
  const crm = serviceClient(config, "crm", caller);
  return (line) => releaseLineWith(crm, line);
}
