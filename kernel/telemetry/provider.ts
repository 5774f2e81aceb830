/**
 * The process's one tracer provider, registered globally on first use together with the
 * AsyncLocalStorage context manager and the W3C TraceContext propagator. It is never replaced
 * (the API's tracers cache the first provider's tracers, so a second one would go unseen);
 * what comes and goes is the set of span processors attached to it.
 *
 * @module
 */
import { type Context, context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  type ReadableSpan,
  type Span,
  type SpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";

/** Forwards every span to the processors attached at the time. */
class Attached implements SpanProcessor {
  readonly processors = new Set<SpanProcessor>();

  onStart(span: Span, parent: Context): void {
    for (const p of this.processors) p.onStart(span, parent);
  }

  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.processors].map((p) => p.forceFlush()));
  }

  // Each processor is shut down by whoever attached it, when it detaches.
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let attached: Attached | undefined;

function register(serviceName: string): Attached {
  const processor = new Attached();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName }),
      // Bounds what a span can hold (a SQL statement, an error message) while it is queued.
      spanLimits: { attributeValueLengthLimit: 2048 },
      spanProcessors: [processor],
    }),
  );
  return processor;
}

/**
 * Attaches `processor` to the process's tracer provider, registering the provider (with
 * resource `service.name` = `serviceName`) if this is the first attach of the process.
 * Returns a detach function that stops feeding the processor and shuts it down (once).
 */
export function attachProcessor(
  serviceName: string,
  processor: SpanProcessor,
): () => Promise<void> {
  attached ??= register(serviceName);
  const { processors } = attached;
  processors.add(processor);
  return async () => {
    if (processors.delete(processor)) await processor.shutdown();
  };
}
