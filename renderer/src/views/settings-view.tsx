// Settings: connect an IDE (what `gatehouse connect <ide>` does: register it with its own token and
// write its MCP settings; for any other client, the URL and header to paste), sign in or out, and
// the colour theme.
import { useId, useState } from 'react';
import { IDE_KINDS, type ConnectResult, type GatehouseApi, type UiError } from '../../../common/ui-api.js';
import { CallError } from '../components/call-error.js';
import { IdentityPanel } from '../components/identity-panel.js';
import { ViewHeading } from '../components/view-heading.js';
import { useOnce } from '../hooks.js';
import { THEME_CHOICES, type ThemeChoice, type ThemeState } from '../theme.js';
import { useCall } from '../use-call.js';

type IdeKind = (typeof IDE_KINDS)[number];

const IDE_LABELS: Record<IdeKind, string> = {
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  windsurf: 'Windsurf',
  generic: 'Another MCP client',
};

const THEME_LABELS: Record<ThemeChoice, string> = { system: 'Follow the system', light: 'Light', dark: 'Dark' };

export function SettingsView({ api, focus, theme }: { api: GatehouseApi; focus: boolean; theme: ThemeState }) {
  const ids = useId();
  const { result: dashboard } = useCall(api, 'dashboard.get', {}, ['dashboard']);
  return (
    <div className="view settings">
      <ViewHeading focus={focus}>Settings</ViewHeading>
      <ConnectIde api={api} />
      {dashboard === undefined ? null : dashboard.ok ? (
        <IdentityPanel api={api} identity={dashboard.value.identity} />
      ) : (
        <CallError error={dashboard.error} what="The sign-in state cannot be shown" />
      )}
      <section className="card" aria-labelledby={`${ids}-look`}>
        <h2 id={`${ids}-look`}>Appearance</h2>
        <div className="field">
          <label htmlFor={`${ids}-theme`}>Theme</label>
          <select id={`${ids}-theme`} value={theme.choice} onChange={(e) => theme.choose(e.target.value as ThemeChoice)}>
            {THEME_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {THEME_LABELS[choice]}
              </option>
            ))}
          </select>
        </div>
      </section>
    </div>
  );
}

function ConnectIde({ api }: { api: GatehouseApi }) {
  const id = useId();
  const [busy, once] = useOnce();
  const [done, setDone] = useState<{ kind: IdeKind; result: ConnectResult }>();
  const [error, setError] = useState<UiError>();
  const connect = (kind: IdeKind) =>
    once(async () => {
      setError(undefined);
      setDone(undefined);
      const result = await api.call('clients.connect', { kind });
      if (result.ok) setDone({ kind, result: result.value });
      else setError(result.error);
    });
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="connect-ide">
      <h2 id={`${id}-title`}>Connect an IDE</h2>
      <p className="hint">
        Registers the IDE with Gatehouse under its own token and points its MCP settings at Gatehouse. Connecting again gives a new token; the old one stops working.
      </p>
      <div className="actions ide-buttons" role="group" aria-label="Connect an IDE">
        {IDE_KINDS.map((kind) => (
          <button key={kind} type="button" disabled={busy} onClick={() => void connect(kind)}>
            {kind === 'generic' ? 'Connect another MCP client' : `Connect ${IDE_LABELS[kind]}`}
          </button>
        ))}
      </div>
      <div className="result" data-testid="connect-result">
        {/* Only the sentence is announced: the snippet holds a token and is read when the user goes to it. */}
        <p role="status" className={done ? 'state ok' : undefined}>
          {busy ? 'Connecting…' : (done?.result.message ?? '')}
        </p>
        {done && done.result.written.length > 0 ? (
          <>
            <h3>Files written</h3>
            <ul className="files">
              {done.result.written.map((file) => (
                <li key={file}>
                  <code>{file}</code>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {done?.result.snippet !== undefined ? (
          <>
            <h3 id={`${id}-snippet`}>Settings to paste</h3>
            <pre className="arguments snippet" aria-labelledby={`${id}-snippet`} tabIndex={0}>
              {done.result.snippet}
            </pre>
          </>
        ) : null}
      </div>
      {error ? <CallError error={error} what="The IDE was not connected" /> : null}
    </section>
  );
}
