// The Prompts view: what waits for the user (approvals, servers' questions, sign-in requests,
// notices), one at a time in focus. The prompt in front takes the focus itself (Deny or Decline),
// so the heading takes it only when nothing is waiting.
import type { PromptsState } from '../prompts-state.js';
import { PromptsView } from '../components/prompts-view.js';
import { ViewHeading } from '../components/view-heading.js';

export function PromptsPage({ prompts, focus }: { prompts: PromptsState; focus: boolean }) {
  const list = prompts.prompts;
  return (
    <div className="view prompts-page">
      <ViewHeading focus={focus && list !== undefined && list.length === 0}>Prompts</ViewHeading>
      {list === undefined ? <p className="muted">Loading…</p> : <PromptsView prompts={list} offset={prompts.offset} onAnswer={prompts.answer} />}
    </div>
  );
}
