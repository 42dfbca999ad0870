import { useEffect, useState } from "preact/hooks";
import type { TestId } from "../testids";

/** Seconds since `since`, counted up once a second while on display. */
export function Elapsed({ since, testid, class: cls }: { since: number; testid: TestId; class?: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  // Hidden from assistive technology: it would be re-read every second.
  return (
    <span class={cls} data-testid={testid} aria-hidden="true">
      {`${Math.max(0, Math.round((now - since) / 1000))} s`}
    </span>
  );
}

