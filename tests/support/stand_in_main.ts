/**
 * `deno task stand-in stripe|resend [--port N]`: runs the local stand-in of Stripe's or
 * Resend's API that the tests use, for trying the `stripe` payment gateway or the `resend`
 * email provider without an account, and prints the settings that point `deno task start` at
 * it. Nothing leaves the machine; Ctrl-C stops it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { startResendStandIn } from "./resend_standin.ts";
import { startStripeStandIn } from "./stripe_standin.ts";

const USAGE = "usage: deno task stand-in stripe|resend [--port N]";

/** The arguments, or the usage and exit 2 for an option it does not know. */
function parsed() {
  try {
    return parseArgs({
      args: Deno.args,
      options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`stand-in: ${(e as Error).message.split(".")[0]}`);
    console.log(USAGE);
    Deno.exit(2);
  }
}

const { values, positionals } = parsed();
const port = Number(values.port ?? 0);
if (values.help || positionals.length !== 1 || !Number.isInteger(port) || port < 0) {
  console.log(USAGE);
  Deno.exit(values.help ? 0 : 2);
}

const which = positionals[0];
let settings: string[];
if (which === "stripe") {
  const stripe = await startStripeStandIn({ port });
  settings = [
    "BSS_PAYMENT_PROVIDER=stripe",
    `BSS_PAYMENT_STRIPE_API_KEY=${stripe.apiKey}`,
    `BSS_PAYMENT_STRIPE_API_BASE=${stripe.url}`,
  ];
  console.log(`Stripe stand-in (test mode, local) on ${stripe.url}`);
  console.log("Its card page offers Stripe's test cards; pm_card_visa works from the CLI.");
} else if (which === "resend") {
  const resend = startResendStandIn(undefined, port);
  settings = [
    "BSS_PORTAL_EMAIL_PROVIDER=resend",
    `BSS_PORTAL_RESEND_API_KEY=${resend.apiKey}`,
    "BSS_PORTAL_EMAIL_FROM='BSS Mobile <no-reply@mail.example>'",
    `BSS_PORTAL_RESEND_API_BASE=${resend.url}`,
  ];
  console.log(`Resend stand-in (local) on ${resend.url}; emails it takes are printed here.`);
  let shown = 0;
  setInterval(() => {
    for (const email of resend.emails.slice(shown)) {
      console.log(`\n── to ${email.to.join(", ")}: ${email.subject}\n${email.text ?? ""}`);
    }
    shown = resend.emails.length;
  }, 250);
} else {
  console.log(USAGE);
  Deno.exit(2);
}
console.log(
  `Start bss against it (another terminal):\n  ${settings.join(" \\\n  ")} \\\n  deno task start`,
);
console.log("Ctrl-C stops it.");
