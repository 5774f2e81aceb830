/**
 * Value-added service offerings (docs/http.md §5): `/vas/offering` and `/vas/offering/{id}`.
 *
 * @module
 */
import { z } from "zod";
import { findVas, listVas } from "../../actors/catalog/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { found } from "./found.ts";
import { VasOffering } from "./schemas.ts";
import { toVas } from "./tmf.ts";
import { Id } from "./wire.ts";
import { paging } from "../paging.ts";

/** `GET /vas/offering`. */
export const listVasOfferings = defineRoute({
  method: "GET",
  path: "/vas/offering",
  summary: "VAS offerings by id",
  query: z.object(paging(20, 200)),
  response: z.array(VasOffering),
});

/** `GET /vas/offering/{id}`. */
export const getVasOffering = defineRoute({
  method: "GET",
  path: "/vas/offering/:id",
  summary: "One VAS offering",
  params: z.object({ id: Id }),
  response: VasOffering,
});

/** The VAS endpoints. */
export function vasEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(listVasOfferings, async ({ query }) => (await listVas(sql, query)).map(toVas)),
    endpoint(
      getVasOffering,
      async ({ params: { id } }) => toVas(found(await findVas(sql, id), "VasOffering", id)),
    ),
  ];
}
