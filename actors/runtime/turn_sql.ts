/**
 * The transaction handle a handler sees. It opens the handler's savepoint lazily, on its first
 * statement, so handlers that touch no table pay nothing for isolation; and it traces every
 * statement — one span each when `BSS_OTEL_SQL_SPANS=statement`, else (the default) a summary
 * the turn's span carries: how many statements, their summed wait, the slowest one's text.
 * Savepoint and release are pipelined (sent without waiting).
 *
 * @module
 */
import { type Attributes, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Sql } from "../../kernel/db/types.ts";

const tracer = trace.getTracer("bss.sql");

/** How a turn's SQL is traced: a span per statement, a summary on the turn's span, or not. */
export type SqlTracing = "statement" | "summary" | "off";

/** A handler's view of the batch transaction, with its own savepoint. */
export interface TurnSql {
  sql: Sql;
  /** Releases the savepoint, if one was opened (pipelined). */
  release(): void;
  /** Undoes the handler's statements, if it ran any. */
  rollback(): Promise<void>;
  /** The summary attributes for the turn's span (empty unless tracing is `summary`). */
  summary(): Attributes;
  /**
   * Whether one of the turn's statements failed. postgres.js then fails the whole batch
   * transaction at its end, even though the turn's savepoint was rolled back.
   */
  failed(): boolean;
}

// Lazy postgres.js queries: sending now without awaiting pipelines them on the connection.
type Lazy = { execute(): Lazy; catch(f: () => void): unknown };
const send = (q: unknown) => void (q as Lazy).execute().catch(() => {});

/** A statement's text as a span shows it: one line, at most 500 characters. */
const statementText = (statement: string | readonly string[]) =>
  (typeof statement === "string" ? statement : statement.join("?"))
    .replace(/\s+/g, " ").trim().slice(0, 500);

/** Calls `settled(ok)` when `query` is awaited and settles; the query is returned as is. */
function onSettle<Q extends PromiseLike<unknown>>(query: Q, start: () => (ok: unknown) => void): Q {
  const q = query as Q & { then: PromiseLike<unknown>["then"] };
  const then = q.then.bind(q);
  let settled: ((error: unknown) => void) | undefined;
  q.then = ((ok, fail) => {
    // Awaited more than once (rare): the first await started the clock.
    const done = settled ??= start();
    return then((v) => {
      done(undefined);
      return ok ? ok(v) : v;
    }, (e) => {
      done(e ?? new Error("query failed"));
      if (fail) return fail(e);
      throw e;
    });
  }) as typeof q.then;
  return q;
}

/** Wraps `tx` for one handler turn under savepoint `name`, tracing its SQL as `tracing` says. */
export function turnSql(tx: Sql, name: string, tracing: SqlTracing): TurnSql {
  let open = false;
  const ensureSavepoint = () => {
    if (open) return;
    open = true;
    send(tx.unsafe(`savepoint ${name}`));
  };
  let count = 0;
  let totalMs = 0;
  let slowestMs = -1;
  let slowest: string | readonly string[] = "";
  let failed = false;
  /** What a statement's settling records, by tracing mode. */
  const trace = (statement: string | readonly string[]): (error: unknown) => void => {
    if (tracing === "off") return () => {};
    if (tracing === "summary") {
      const started = performance.now();
      return () => {
        const ms = performance.now() - started;
        count++;
        totalMs += ms;
        if (ms > slowestMs) [slowestMs, slowest] = [ms, statement];
      };
    }
    const span = tracer.startSpan("sql", {
      kind: SpanKind.CLIENT,
      attributes: { "db.system": "postgresql", "db.statement": statementText(statement) },
    });
    return (error) => {
      if (error !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      }
      span.end();
    };
  };
  const traced = <Q extends PromiseLike<unknown>>(
    statement: string | readonly string[],
    query: Q,
  ) =>
    onSettle(query, () => {
      const end = trace(statement);
      return (error) => {
        if (error !== undefined) failed = true;
        end(error);
      };
    });
  const sql = new Proxy(tx, {
    apply(target, self, args) {
      const [first] = args;
      if (!Array.isArray(first) || !("raw" in first)) return Reflect.apply(target, self, args);
      ensureSavepoint();
      return traced(first as string[], Reflect.apply(target, self, args));
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
    failed: () => failed,
    summary: () =>
      count
        ? {
          "bss.sql.statements": count,
          "bss.sql.ms": Math.round(totalMs * 100) / 100,
          "bss.sql.slowest": statementText(slowest),
          "bss.sql.slowest_ms": Math.round(slowestMs * 100) / 100,
        }
        : {},
  };
}
