/**
 * A table of rows under a header, scrolling inside its own box on a narrow screen (a phone)
 * instead of widening the page.
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** The table: `head` names the columns, `children` are its `<tr>` rows. */
export function ScrollTable({ head, children }: { head: string[]; children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            {head.map((h) => <th key={h}>{h}</th>)}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
