/**
 * An indented tree of stateful nodes (`├─`, `└─`, `│`), each row a label column, a warning
 * marker for broken states, the state right-aligned and a short note.
 *
 * @module
 */
import { paint, stateStyle } from "./options.ts";
import { fit, fitRight } from "./text.ts";

/** A node of the tree. */
export interface TreeNode {
  label: string;
  state: string;
  /** Short text after the state, e.g. `(1.5s)`. */
  note?: string;
  children: TreeNode[];
}

const BROKEN = ["failed", "stuck", "errored", "canceled", "cancelled"];
const STATE = 12;
const NOTE = 12;

/** The rows of `root` and its descendants, each exactly `width` cells. */
export function treeRows(root: TreeNode, width: number, color: boolean): string[] {
  const labelWidth = width - STATE - NOTE - 2;
  const rows: string[] = [];
  const walk = (node: TreeNode, lead: string, branch: string) => {
    const state = node.state.toLowerCase();
    const marker = BROKEN.includes(state) ? paint("⚠ ", "red", color) : "  ";
    rows.push(
      fit(lead + branch + node.label, labelWidth) + marker +
        paint(fitRight(state, STATE), stateStyle(state), color) + fit(node.note ?? "", NOTE),
    );
    const childLead = lead + (branch === "├─ " ? "│  " : branch === "└─ " ? "   " : "");
    node.children.forEach((child, i) =>
      walk(child, childLead, i === node.children.length - 1 ? "└─ " : "├─ ")
    );
  };
  walk(root, "", "");
  return rows;
}
