/**
 * Reads a tool argument's zod schema for the docs and the CLI: its base kind (to turn a
 * command-line string into the right value), whether it may be left out, and its default.
 *
 * @module
 */
import type { z } from "zod";

/** The kinds of value a tool argument takes. */
export type ArgKind = "string" | "number" | "boolean" | "array" | "enum" | "object";

/** What the docs and the CLI need to know of one argument. */
export interface ArgShape {
  kind: ArgKind;
  /** `string`, `number`, `a|b|c`, `string[]`… */
  type: string;
  optional: boolean;
  /** The default, when there is one. */
  fallback?: unknown;
  description?: string;
}

// Zod's own definition record: the stable way to walk a schema in zod 4.
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
  defaultValue?: unknown;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Describes one argument schema. */
export function describeArg(schema: z.ZodType): ArgShape {
  let current = schema;
  let optional = false;
  let fallback: unknown;
  for (;;) {
    const def = defOf(current);
    if (def.type === "optional" || def.type === "nullable") optional = true;
    else if (def.type === "default") {
      optional = true;
      fallback = def.defaultValue;
    } else if (def.type !== "pipe") break;
    current = (def.innerType ?? def.in)!;
  }
  const def = defOf(current);
  const description = schema.description ?? current.description;
  const shape = { optional, fallback, description };
  switch (def.type) {
    case "enum":
      return { kind: "enum", type: Object.values(def.entries!).join("|"), ...shape };
    case "number":
    case "boolean":
      return { kind: def.type, type: def.type, ...shape };
    case "array":
      return { kind: "array", type: `${describeArg(def.element!).type}[]`, ...shape };
    case "object":
      return { kind: "object", type: "object", ...shape };
    default:
      return { kind: "string", type: "string", ...shape };
  }
}

/** Every argument of a tool's schema, in declaration order. */
export function argumentsOf(args: z.ZodObject): Array<[name: string, shape: ArgShape]> {
  return Object.entries(args.shape).map(([name, s]) => [name, describeArg(s as z.ZodType)]);
}
