// `activity.verify`: walks the audit log's hash chain on request (it reads every event, so it is
// not done on every visit) and says whether it is intact or where it first breaks.
import { useId, useState } from 'react';
import type { ChainStatus as Status, GatehouseApi, UiError } from '../../../common/ui-api.js';
import { formatCount } from '../format.js';
import { useOnce } from '../hooks.js';
import { href } from '../route.js';
import { CallError } from './call-error.js';

const BREAK_TEXT = { edited: 'was edited', deleted: 'was deleted', reordered: 'was moved', malformed: 'is damaged' } as const;

export function ChainStatus({ api }: { api: GatehouseApi }) {
  const id = useId();
  const [busy, once] = useOnce();
  const [status, setStatus] = useState<Status>();
  const [error, setError] = useState<UiError>();
  const verify = () =>
    once(async () => {
      setError(undefined);
      const result = await api.call('activity.verify', {});
      if (result.ok) setStatus(result.value);
      else setError(result.error);
    });
  return (
    <section className="card chain" aria-labelledby={`${id}-title`} data-testid="chain">
      <h2 id={`${id}-title`}>Chain verification</h2>
      <p className="hint">Each event holds the hash of the one before, so an edited, deleted or moved event breaks the chain.</p>
      <div role="status" data-testid="chain-status">
        {busy ? <p>Verifying…</p> : status === undefined ? <p className="muted">Not verified in this view yet.</p> : <Outcome status={status} />}
      </div>
      {error ? <CallError error={error} what="The chain could not be verified" /> : null}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void verify()}>
          Verify the chain
        </button>
      </div>
    </section>
  );
}

function Outcome({ status }: { status: Status }) {
  const range = status.firstSeq !== undefined && status.lastSeq !== undefined ? ` (events ${status.firstSeq} to ${status.lastSeq})` : '';
  const from = status.from === 'genesis' ? 'from the first event' : 'from the last retention checkpoint';
  if (status.ok) {
    return (
      <p className="state ok">
        Intact: {formatCount(status.checked)} events checked{range}, {from}.
      </p>
    );
  }
  const broken = status.break;
  return (
    <p className="state bad">
      Broken
      {broken ? (
        <>
          : event <a href={href('activity', broken.seq)}>{broken.seq}</a> {BREAK_TEXT[broken.kind]}. {broken.message}
        </>
      ) : (
        '.'
      )}{' '}
      Tell your security team.
    </p>
  );
}
