/**
 * The transaction handle a handler sees. It opens the handler's savepoint lazily, on its first
 * statement, so handlers that touch no table pay nothing for isolation; and it wraps every
 * statement in a span. Savepoint and release are pipelined (sent without waiting).
 *
 * @module
 */
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { TransactionSql } from "postgres";

const tracer = trace.getTracer("bss.sql");

/** A handler's view of the batch transaction, with its own savepoint. */
export interface TurnSql {
  sql: TransactionSql;
  /** Releases the savepoint, if one was opened (pipelined). */
  release(): void;
  /** Undoes the handler's statements, if it ran any. */
  rollback(): Promise<void>;
}

// Lazy postgres.js queries: sending now without awaiting pipelines them on the connection.
type Lazy = { execute(): Lazy; catch(f: () => void): unknown };
const send = (q: unknown) => void (q as Lazy).execute().catch(() => {});

/** Wraps `tx` for one handler turn under savepoint `name`. */
export function turnSql(tx: TransactionSql, name: string): TurnSql {
  let open = false;
  const ensureSavepoint = () => {
    if (open) return;
    open = true;
    send(tx.unsafe(`savepoint ${name}`));
  };
  const traced = <Q extends PromiseLike<unknown>>(statement: string, query: Q): Q => {
    const q = query as Q & { then: PromiseLike<unknown>["then"] };
    const then = q.then.bind(q);
    let span: ReturnType<typeof tracer.startSpan> | undefined;
    q.then = ((ok, fail) => {
      span ??= tracer.startSpan("sql", {
        kind: SpanKind.CLIENT,
        attributes: { "db.system": "postgresql", "db.statement": statement.slice(0, 500) },
      });
      const s = span;
      return then((v) => {
        s.end();
        return ok ? ok(v) : v;
      }, (e) => {
        s.setStatus({ code: SpanStatusCode.ERROR, message: String(e) });
        s.end();
        if (fail) return fail(e);
        throw e;
      });
    }) as typeof q.then;
    return q;
  };
  const sql = new Proxy(tx, {
    apply(target, self, args) {
      const [first] = args;
      if (!Array.isArray(first) || !("raw" in first)) return Reflect.apply(target, self, args);
      ensureSavepoint();
      return traced(
        (first as string[]).join("?").replace(/\s+/g, " ").trim(),
        Reflect.apply(target, self, args),
      );
    },
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "unsafe") return typeof value === "function" ? value.bind(target) : value;
      return (query: string, ...rest: unknown[]) => {
        ensureSavepoint();
        return traced(
          query,
          (value as (...a: unknown[]) => PromiseLike<unknown>).call(target, query, ...rest),
        );
      };
    },
  });
  return {
    sql,
    release: () => open && send(tx.unsafe(`release savepoint ${name}`)),
    rollback: async () => {
      if (open) await tx.unsafe(`rollback to savepoint ${name}`);
    },
  };
}
