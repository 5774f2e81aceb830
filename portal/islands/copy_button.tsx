/**
 * Island: a button copying a text (the eSIM's LPA code) to the clipboard. Without
 * JavaScript the code beside it is plain selectable text.
 *
 * @module
 */
import { useState } from "preact/hooks";

/** Copies `text`; says so for a moment. */
export default function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="secondary copy-button"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? "Copied" : "Copy code"}
    </button>
  );
}
