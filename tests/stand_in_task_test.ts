/**
 * `deno task stand-in`: it serves the stand-in it names and prints the settings that point the
 * system at it (which must be ones the configuration accepts); anything else is a usage error.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../kernel/config.ts";

const MAIN = new URL("./support/stand_in_main.ts", import.meta.url).pathname;

/** Runs the task until it has printed its settings; answers them and whether the URL answers. */
async function started(which: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, which],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!text.includes("Ctrl-C stops it.")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const env = Object.fromEntries(
      [...text.matchAll(/^ {2}(BSS_\w+)=(.*?) \\$/gm)].map((
        m,
      ) => [m[1], m[2].replace(/^'|'$/g, "")]),
    );
    const base = Object.entries(env).find(([k]) => k.endsWith("_API_BASE"))![1];
    const answered = (await fetch(`${base}/v1/customers`, { method: "POST" })).status;
    return { env, answered };
  } finally {
    await reader.cancel();
    child.kill();
    await child.status;
  }
}

Deno.test("deno task stand-in stripe|resend prints settings the system accepts, and serves", async () => {
  for (const which of ["stripe", "resend"]) {
    const { env, answered } = await started(which);
    assert.equal(answered, 401, `${which} answers without a key as its API does`);
    const config = loadConfig({ BSS_API_TOKEN: "a-perfectly-good-token-0123456789abcdef", ...env });
    assert.equal(
      which === "stripe" ? config.BSS_PAYMENT_PROVIDER : config.BSS_PORTAL_EMAIL_PROVIDER,
      which,
    );
  }
});

Deno.test("deno task stand-in with no or another name is a usage error (exit 2)", async () => {
  for (const args of [[], ["paypal"], ["stripe", "--port", "x"], ["stripe", "--no-such-option"]]) {
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, ...args],
      stdout: "piped",
    }).output();
    assert.equal(code, 2, args.join(" "));
    assert.match(new TextDecoder().decode(stdout), /usage: deno task stand-in stripe\|resend/);
  }
});
