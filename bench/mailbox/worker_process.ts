/**
 * A mailbox-bench worker process. Argument: a {@link ConsumerSpec} as JSON. It connects and
 * prints `{"ready":true}`; on `start` (stdin) it drains, printing `{"handled":n}` within
 * 10 ms of any progress; on `stop` it stops cleanly, prints `{"report":…}` (a ProbeReport)
 * and exits.
 *
 * @module
 */
import { lines, writeLine } from "../lib/lines.ts";
import { prepareBss } from "./bss.ts";
import type { ConsumerSpec } from "./engine.ts";
import { prepareGraphile } from "./graphile.ts";
import { Probe } from "./probe.ts";

const spec = JSON.parse(Deno.args[0]) as ConsumerSpec;
const probe = new Probe();
const consumer = spec.engine === "bss"
  ? await prepareBss(spec, probe)
  : await prepareGraphile(spec, probe);
const out = Deno.stdout.writable.getWriter();
const emit = (value: unknown) => writeLine(out, JSON.stringify(value));

await emit({ ready: true });
let ticker: ReturnType<typeof setInterval> | undefined;
for await (const command of lines(Deno.stdin.readable)) {
  if (command === "start") {
    await consumer.start();
    let shown = 0;
    ticker = setInterval(() => {
      if (probe.report.handled !== shown) void emit({ handled: shown = probe.report.handled });
    }, 10);
  } else if (command === "stop") {
    clearInterval(ticker);
    await consumer.stop();
    await emit({ report: probe.report });
    break;
  }
}
Deno.exit(0);
