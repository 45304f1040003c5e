// Who is signed in, with Sign in / Sign out: on the dashboard and in settings. Signing in is the
// host's job (it opens the company sign-in page in the browser); the panel only asks, then shows
// the new state when the host says the dashboard changed.
import { useId, useState } from 'react';
import type { GatehouseApi, IdentitySummary, UiError } from '../../../common/ui-api.js';
import { useOnce } from '../hooks.js';
import { CallError } from './call-error.js';

export function IdentityPanel({ api, identity, headingLevel = 2 }: { api: GatehouseApi; identity: IdentitySummary; headingLevel?: 2 | 3 }) {
  const id = useId();
  const [busy, once] = useOnce();
  const [said, setSaid] = useState<string>();
  const [error, setError] = useState<UiError>();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const run = (call: 'identity.signIn' | 'identity.signOut') =>
    once(async () => {
      setError(undefined);
      setSaid(undefined);
      const result = await api.call(call, {});
      if (result.ok) setSaid(result.value.message);
      else setError(result.error);
    });

  return (
    <section className="card identity" aria-labelledby={`${id}-title`} data-testid="identity">
      <Heading id={`${id}-title`}>Sign-in</Heading>
      {!identity.configured ? (
        <p>Your Gatehouse policy has no company sign-in: servers are reached without one.</p>
      ) : identity.signedIn ? (
        <>
          <p className="state ok">
            Signed in as <strong data-testid="identity-name">{identity.name ?? identity.subject ?? 'an unnamed user'}</strong>
            {identity.name && identity.subject ? <> (subject <code>{identity.subject}</code>)</> : null}
          </p>
          <dl className="facts">
            <dt>Roles</dt>
            <dd data-testid="identity-roles">{identity.roles.length > 0 ? identity.roles.join(', ') : 'none'}</dd>
            {identity.issuer ? (
              <>
                <dt>Company sign-in</dt>
                <dd>
                  <code>{identity.issuer}</code>
                </dd>
              </>
            ) : null}
          </dl>
        </>
      ) : (
        <p className="state warn" data-testid="identity-name">
          Not signed in. Servers that need your company sign-in wait until you sign in.
        </p>
      )}
      {identity.secrets?.backend === 'memory' ? (
        <p className="warning">
          Your sign-in is kept in memory only{identity.secrets.problem ? ` (${identity.secrets.problem})` : ''}: you will sign in again when Gatehouse restarts.
        </p>
      ) : null}
      {identity.configured ? (
        <div className="actions">
          {identity.signedIn ? (
            <button type="button" disabled={busy} onClick={() => void run('identity.signOut')}>
              Sign out
            </button>
          ) : (
            <button type="button" className="allow" disabled={busy} onClick={() => void run('identity.signIn')}>
              Sign in
            </button>
          )}
        </div>
      ) : null}
      <p role="status" className="said">
        {said}
      </p>
      {error ? <CallError error={error} what="Gatehouse did not do it" /> : null}
    </section>
  );
}
