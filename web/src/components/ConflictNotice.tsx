import { useEffect, useRef, useState } from "react";

/**
 * ConflictNotice explains a stale edit (the server answered Aborted: the record changed after
 * this form was opened) and offers the two ways out.
 */
export function ConflictNotice({ what, onDiscard, onOverwrite }: { what: string; onDiscard: () => Promise<void>; onOverwrite: () => Promise<void> }) {
  const ref = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => ref.current?.focus(), []);
  const run = (fn: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notice notice-warn conflict" role="alert" tabIndex={-1} ref={ref} data-testid="conflict">
      <p>
        <strong>This {what} was changed somewhere else</strong> (in another tab, or by another device) after you opened this form, so
        your changes were not saved. Your edits are still below.
      </p>
      <div className="button-row">
        <button type="button" className="button-secondary" onClick={run(onDiscard)} disabled={busy}>
          Discard my edits and load the latest
        </button>
        <button type="button" onClick={run(onOverwrite)} disabled={busy}>
          Save my edits over the latest
        </button>
      </div>
    </div>
  );
}
