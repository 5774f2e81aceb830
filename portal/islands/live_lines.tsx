/**
 * Island: the dashboard's line cards, kept current from the server's event stream
 * (`/events`): each `line` event carries a line's fresh {@link LineView}. The browser's
 * EventSource reconnects by itself and sends `Last-Event-ID`, so nothing is missed.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { LineCard, type LineView } from "../components/line_card.tsx";

/** The cards of `lines`, live. */
export default function LiveLines(props: { lines: LineView[]; csrf: string }) {
  const [lines, setLines] = useState(props.lines);
  useEffect(() => {
    const source = new EventSource("/events");
    source.addEventListener("line", (e) => {
      const fresh = JSON.parse((e as MessageEvent).data) as LineView;
      setLines((all) => all.map((l) => (l.id === fresh.id ? fresh : l)));
    });
    source.addEventListener("open", () => document.body.dataset.live = "on");
    return () => source.close();
  }, []);
  return (
    <div class="grid lines">
      {lines.map((line) => <LineCard key={line.id} line={line} csrf={props.csrf} />)}
    </div>
  );
}
