/**
 * eSIM activation card (docs/cockpit.md §3.7): profile state, redacted ICCID/IMSI, the MSISDN, a
 * scannable QR of the LPA activation code and the code itself for manual entry.
 *
 * @module
 */
import { box } from "./box.ts";
import { field, formatIccid, formatMsisdn } from "./format.ts";
import { paint, type RenderOptions } from "./options.ts";
import { qrMatrix, qrRows } from "./qr.ts";
import { cells } from "./text.ts";

/**
 * Activation data as the subscription (`activationCode`, `msisdn`) or inventory
 * (`activation_code`, `profile_state`) returns it.
 */
export interface EsimCardData {
  iccid: string;
  imsi?: string | null;
  msisdn?: string | null;
  activationCode?: string | null;
  activation_code?: string | null;
  /** Profile state; `prepared` when missing. */
  state?: string | null;
  profile_state?: string | null;
}

/** Options of {@link renderEsim}: reveal the full ICCID and IMSI. */
export interface EsimOptions extends RenderOptions {
  showFull?: boolean;
}

const LIVE = ["prepared", "reserved", "downloaded", "activated"];

/** The LPA string of a code: as is when it starts `LPA:`, else `LPA:1$<code>`. */
export function lpaOf(code: string): string {
  return code.startsWith("LPA:") ? code : `LPA:1$${code}`;
}

function redact(value: string): string {
  return value.length <= 4 ? value : "•".repeat(value.length - 4) + value.slice(-4);
}

function imsiGroups(imsi: string): string {
  return `${imsi.slice(0, 3)} ${imsi.slice(3, 5)} ${imsi.slice(5)}`;
}

/** The eSIM activation card with its terminal QR. */
export function renderEsim(data: EsimCardData, options: EsimOptions): string {
  const record = data as unknown as Record<string, unknown>;
  const state = field<string | null>(record, "profileState") ?? data.state ?? "prepared";
  const code = field<string | null>(record, "activationCode");
  const live = LIVE.includes(state);
  const strip = paint(
    `${live ? "●" : "○"} ${state.toUpperCase()}`,
    live ? "green" : "red",
    options.color,
  );
  const inner = options.width - 4;
  const iccid = options.showFull ? formatIccid(data.iccid) : redact(data.iccid);
  const imsi = data.imsi ? (options.showFull ? imsiGroups(data.imsi) : redact(data.imsi)) : "—";
  const lines = [
    "",
    ` ICCID    ${iccid}`,
    ` IMSI     ${imsi}`,
    ` MSISDN   ${formatMsisdn(data.msisdn)}`,
    "",
  ];
  if (code && !live) {
    // A recycled (or released) profile is not the line's any more: its code is for the record.
    lines.push(` This profile is ${state}, not this line's to install: no QR.`);
    lines.push(` Its code was ${lpaOf(code)}`);
  } else if (code) {
    const lpa = lpaOf(code);
    const qr = qrRows(qrMatrix(lpa));
    if (cells(qr[0]) <= inner) {
      const pad = " ".repeat(Math.floor((inner - cells(qr[0])) / 2));
      lines.push(" Scan with your device camera:", "", ...qr.map((row) => pad + row));
    }
    // Wrapped, not cut: every character must be typeable.
    const chunks = lpa.match(new RegExp(`.{1,${inner - 1}}`, "gu")) ?? [];
    lines.push(" Or enter the LPA code manually:", ...chunks.map((chunk) => ` ${chunk}`));
  } else {
    lines.push(" (no activation code issued)");
  }
  if (!options.showFull) lines.push("", " (ICCID and IMSI redacted: --json shows them in full)");
  return box(lines, `eSIM Activation  ${strip}`, options);
}
