// A call the host refused or could not answer: its sentence for the user, and the code to quote.
import type { UiError } from '../../../common/ui-api.js';

export function CallError({ error, what }: { error: UiError; what: string }) {
  return (
    <p className="error" role="alert">
      {what}: {error.message} <span className="code">({error.code})</span>
    </p>
  );
}
