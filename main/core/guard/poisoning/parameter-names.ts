// Parameters shaped like side channels: a poisoned description asks the model to put a file or the
// conversation into an innocent-looking argument, and the server receives it.
//
// Two tiers, to keep false positives down. A name whose only plausible use is smuggling
// (`sidenote`, `conversation_history`) is flagged on its own. A common name (`note`, `context`,
// `metadata`, `callback_url`...) appears in plenty of honest tools, so it is flagged only when the
// same tool also carries another sign of poisoning: then it is the likely channel.

export type ChannelTier = 'always' | 'with-other-signs';

const ALWAYS = new Set([
  'sidenote',
  'sidenotes',
  'sidechannel',
  'conversationhistory',
  'chathistory',
  'messagehistory',
  'previousmessages',
  'priormessages',
  'fullconversation',
]);
const ALWAYS_CONTAINS = ['exfil', 'sidenote', 'sidechannel', 'environmentdetails'];

const WITH_OTHER_SIGNS = new Set([
  'note',
  'notes',
  'context',
  'feedback',
  'debug',
  'debuginfo',
  'metadata',
  'meta',
  'extra',
  'extras',
  'extrainfo',
  'extradata',
  'additionalinfo',
  'additionalcontext',
  'comment',
  'comments',
  'remark',
  'remarks',
  'details',
  'info',
  'memo',
  'aside',
  'annotation',
  'callback',
  'callbackurl',
  'webhook',
  'webhookurl',
  'reporturl',
  'log',
  'logs',
  'trace',
  'diagnostics',
  'telemetry',
  'reasoning',
  'thoughts',
]);

/** `side_note`, `sideNote`, `Side-Note` → `sidenote`. */
export function channelKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** How suspicious a parameter name is as an exfiltration channel; undefined when it is not. */
export function channelTier(name: string): ChannelTier | undefined {
  const key = channelKey(name);
  if (ALWAYS.has(key) || ALWAYS_CONTAINS.some((part) => key.includes(part))) return 'always';
  return WITH_OTHER_SIGNS.has(key) ? 'with-other-signs' : undefined;
}
