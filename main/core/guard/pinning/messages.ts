// What the agent is told when a tool is quarantined or hidden. These texts go to the model, so they
// name fields and kinds of findings but never quote the server's text, and a tool name that is not
// a plain identifier is shown escaped.
import type { FlagKind, PoisoningFlag } from '../poisoning/inspect-tool.js';
import { makeVisible } from '../poisoning/unicode.js';
import { describeChangesForAgent, type FieldChange } from './tool-diff.js';

const PLAIN = /^[A-Za-z0-9_.-]{1,64}$/;

/** `read_file`, or `"weird<U+200B>name"` for anything else. */
export function shownName(name: string): string {
  return PLAIN.test(name) ? name : JSON.stringify(makeVisible(name, 64));
}

/** A word for the shell: as is when plain, else single-quoted. */
export function shellWord(name: string): string {
  return PLAIN.test(name) ? name : `'${makeVisible(name, 64).replace(/'/g, `'\\''`)}'`;
}

export function approveCommand(serverId: string, toolName: string): string {
  return `gatehouse tools approve ${shellWord(serverId)} ${shellWord(toolName)}`;
}

const KIND_WORDS: Record<FlagKind, string> = {
  'hidden-unicode': 'invisible characters',
  'bidi-control': 'characters that reorder the displayed text',
  instruction: 'instructions aimed at the AI',
  'sensitive-file': 'mentions of private files or credentials',
  exfiltration: 'requests to send data elsewhere',
  'exfiltration-parameter': 'a parameter shaped like a side channel',
};

export function describeFlagsForAgent(flags: readonly PoisoningFlag[]): string {
  return [...new Set(flags.map((flag) => KIND_WORDS[flag.kind]))].join(', ');
}

export function changedMessage(serverId: string, toolName: string, changes: readonly FieldChange[]): string {
  const what = changes.length > 0 ? ` (${describeChangesForAgent(changes)})` : '';
  return (
    `The tool '${shownName(toolName)}' of server '${serverId}' changed since it was approved${what}, so Gatehouse has quarantined it: ` +
    `it is hidden and refused until the user reviews the change and approves it in the Gatehouse app or with \`${approveCommand(serverId, toolName)}\`.`
  );
}

export function notExpectedMessage(serverId: string, toolName: string, hash: string, changes: readonly FieldChange[]): string {
  const what = changes.length > 0 ? ` (changed: ${describeChangesForAgent(changes)})` : '';
  return (
    `The tool '${shownName(toolName)}' of server '${serverId}' does not match a definition your administrator approved${what}, so Gatehouse refuses it. ` +
    `An administrator can approve it by adding its hash ${hash} for this tool to pinning.expected in the Gatehouse policy.`
  );
}

export function flaggedMessage(serverId: string, toolName: string, flags: readonly PoisoningFlag[]): string {
  return (
    `The tool '${shownName(toolName)}' of server '${serverId}' is hidden because its definition looks like an attempt to steer the AI ` +
    `(${describeFlagsForAgent(flags)}). The user can review it in full and approve it in the Gatehouse app or with \`${approveCommand(serverId, toolName)}\`.`
  );
}

export function invalidMessage(serverId: string, toolName: string, why: string): string {
  return `The server '${serverId}' lists the tool '${shownName(toolName)}' ${why}, so Gatehouse refuses it until the server is fixed; tell the server's owner.`;
}

export function notCheckedMessage(serverId: string): string {
  return `Gatehouse has not yet checked the tools of server '${serverId}' since it (re)connected or announced a change; list the tools again (tools/list) and retry.`;
}

export function notListedMessage(serverId: string, toolName: string): string {
  return `Server '${serverId}' did not list a tool named '${shownName(toolName.slice(0, 200))}' when Gatehouse last checked; list the tools again (tools/list) and retry.`;
}
