// What tool-poisoning text looks like: words aimed at the model rather than at the person choosing
// tools. Rules run on normalized text (lowercase, NFKC, invisible characters removed, whitespace
// runs as one space; see unicode.ts), so they need no case or whitespace variants.
//
// Linear time by construction: no pattern has a quantifier over a group that can match the same
// text two ways, and proximity ("X, then Y within N characters") is not a regex gap but two
// independent scans merged in one pass (see findRule). test/unit/core/guard/poisoning proves the
// patterns safe with recheck and times them on adversarial input.

export type RuleKind = 'instruction' | 'sensitive-file' | 'exfiltration';

export interface TextRule {
  readonly id: string;
  readonly kind: RuleKind;
  /** What the rule found, in words for the person reviewing the tool. */
  readonly label: string;
  /** Global, on normalized text. */
  readonly pattern: RegExp;
  /** When set, the text is flagged only if a `near` match starts at most `within` characters after a `pattern` match ends. */
  readonly near?: RegExp;
  readonly within?: number;
}

const TAG_NAMES = 'important|system[_ -]?prompt|system|instructions?|secret|hidden|critical|sys';
const TOOL_NAME = "[a-z0-9]{1,40}(?:[_.-][a-z0-9]{1,40}){1,6}";

export const TEXT_RULES: readonly TextRule[] = [
  {
    id: 'model-tag',
    kind: 'instruction',
    label: 'a tag addressed to the model, such as <IMPORTANT> or <system>',
    pattern: new RegExp(`<\\/? ?(?:${TAG_NAMES})\\b|<\\|(?:im_start|im_end|system|user|assistant|endoftext)\\|>|\\[\\/?inst\\]`, 'g'),
  },
  {
    id: 'ignore-instructions',
    kind: 'instruction',
    label: 'asks the model to ignore its instructions',
    pattern: /\b(?:ignore|disregard|forget|override|bypass)\b/g,
    near: /\b(?:all |any )?(?:previous|prior|above|earlier|preceding|former|original|system|developer|safety|other|existing|your) (?:[a-z]{1,20} )?(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|messages|polic(?:y|ies)|constraints|restrictions)\b/g,
    within: 30,
  },
  {
    id: 'conceal-from-user',
    kind: 'instruction',
    label: 'asks the model to keep something from the user',
    pattern:
      /\b(?:do not|don't|dont|never|must not|should not|shouldn't|without) (?:[a-z]{1,20} )?(?:tell|telling|mention|mentioning|inform|informing|notify|notifying|reveal|revealing|alert|alerting|disclose|disclosing|bother|bothering|let)\b/g,
    near: /\b(?:user|human|person|operator|owner)s?\b/g,
    within: 80,
  },
  {
    id: 'hide-from-user',
    kind: 'instruction',
    label: 'asks the model to hide something from the user',
    pattern: /\b(?:hide|conceal|keep (?:this|it|that) (?:secret|hidden|quiet))\b/g,
    near: /\bfrom (?:the )?(?:user|human)s?\b/g,
    within: 40,
  },
  {
    id: 'user-must-not-know',
    kind: 'instruction',
    label: 'says the user must not know what the model does',
    pattern:
      /\bthe user (?:will not|won't|does not|doesn't|must not|should not|shouldn't|need not|cannot|can't|must never|should never) (?:need to |have to )?(?:know|notice|see|be told|be informed|be aware|find out)\b|\b(?:secretly|covertly|surreptitiously)\b/g,
  },
  {
    id: 'read-before-use',
    kind: 'instruction',
    label: 'asks the model to read or send something before using the tool',
    pattern: /\bbefore (?:using|calling|invoking|running|executing|you use|you call|you run|you invoke) (?:this|the|any|that) (?:tool|function)\b/g,
    near: /\b(?:read|cat|send|upload)\b/g,
    within: 150,
  },
  {
    id: 'other-tool-when-invoked',
    kind: 'instruction',
    label: 'gives the model instructions about another tool',
    pattern: new RegExp(`\\bwhen (?:the )?(?:\\([a-z0-9_.-]{1,64}\\) )?${TOOL_NAME} (?:tool )?is (?:invoked|called|used|executed|run)\\b`, 'g'),
  },
  {
    id: 'other-tool-side-effect',
    kind: 'instruction',
    label: 'claims a side effect on another tool',
    pattern: /\bside effects? on (?:the )?(?:also present |other |another )?[a-z0-9_.-]{1,64} tool\b/g,
  },
  {
    id: 'sensitive-path',
    kind: 'sensitive-file',
    label: 'names a private file or credential store',
    pattern: new RegExp(
      [
        '~\\/\\.[a-z0-9_]',
        '\\$home\\/\\.[a-z0-9_]',
        '\\.ssh\\b',
        '\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b',
        '(?<![\\w.-])\\.env\\b',
        '\\/etc\\/(?:passwd|shadow|gshadow|sudoers)\\b',
        '\\b(?:mcp|claude_desktop_config|credentials)\\.json\\b',
        '\\.cursor\\/',
        '\\.vscode\\/mcp',
        '\\.codeium\\/',
        '\\.aws\\/(?:credentials|config)\\b',
        '\\.kube\\/config\\b',
        '\\.docker\\/config\\.json\\b',
        '\\.(?:npmrc|pypirc|netrc|git-credentials|bash_history|zsh_history|gnupg|password-store)\\b',
        '\\b(?:known_hosts|authorized_keys|wallet\\.dat|login\\.keychain)\\b',
        '\\/proc\\/self\\/environ\\b',
        '%(?:userprofile|appdata|localappdata)%',
      ].join('|'),
      'g',
    ),
  },
  {
    id: 'take-credentials',
    kind: 'sensitive-file',
    label: 'asks the model to read or send credentials',
    pattern: /\b(?:read|cat|send|upload|leak|exfiltrate|forward|share|copy|dump|extract|steal|collect|harvest)\b/g,
    near: /\b(?:credentials|private keys?|ssh keys?|passwords?|secret keys?|access keys?|session cookies|cookies|seed phrases?|recovery phrases?|api keys?)\b/g,
    within: 40,
  },
  {
    id: 'send-to-url',
    kind: 'exfiltration',
    label: 'asks the model to send data to a web address written into the tool',
    pattern: /\b(?:send|post|upload|forward|transmit|exfiltrate|leak|beacon|deliver|curl|wget)\b/g,
    near: /\b(?:to|at|into) (?:the )?(?:url |endpoint |server |address )?https?:\/\//g,
    within: 80,
  },
  {
    id: 'send-to-email',
    kind: 'exfiltration',
    label: 'asks the model to send data to an email address written into the tool',
    pattern: /\b(?:send|forward|copy|cc|bcc|redirect|email|mail)\b/g,
    near: /\bto [a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\b/g,
    within: 60,
  },
  {
    id: 'redirect-recipient',
    kind: 'exfiltration',
    label: 'asks the model to change who receives data',
    pattern:
      /\bchange (?:the )?(?:recipient|destination|receiver|to address|target address|email address|phone number|account number|iban)\b|\bproxy (?:number|address|email|account|recipient)\b|\bsend all (?:emails|messages|mail|data|files)\b/g,
  },
  {
    id: 'harvest-conversation',
    kind: 'exfiltration',
    label: 'asks the model to pass on the conversation or its instructions',
    pattern: /\b(?:include|pass|put|insert|add|provide|embed|append|attach|send|copy|paste|dump|forward)\b/g,
    near: /\b(?:conversation history|chat history|message history|(?:previous|prior|earlier|past|last|all) (?:messages|chats|conversations|prompts|tool results)|(?:full|entire|complete|whole) (?:conversation|chat|transcript|chat log)|your (?:instructions|system prompt|context window))\b/g,
    within: 60,
  },
  {
    id: 'contents-into-parameter',
    kind: 'exfiltration',
    label: 'asks the model to put data into a parameter',
    pattern: /\b(?:pass|put|include|insert|embed|place|copy|paste|add|send)(?: [a-z']{1,20}){0,3} (?:contents?|text|output|data)\b/g,
    near: /\b(?:as|in|into|inside|to|via|under) (?:the |a |this |that )?(?:['"`][a-z0-9_-]{1,40}['"`]|(?!this |that |the |a |your )[a-z0-9_-]{1,40} (?:parameter|param|argument|arg|field|key))/g,
    within: 40,
  },
];

export interface RuleMatch {
  /** Start and end in the normalized text. */
  readonly start: number;
  readonly end: number;
}

/** The first place `rule` matches `text` (normalized), or undefined. Linear in the length of `text`. */
export function findRule(rule: TextRule, text: string): RuleMatch | undefined {
  const triggers = text.matchAll(rule.pattern);
  if (rule.near === undefined) {
    const first = triggers.next();
    return first.done ? undefined : { start: first.value.index, end: first.value.index + first.value[0].length };
  }
  const within = rule.within ?? 0;
  let nears: RegExpExecArray[] | undefined;
  let j = 0;
  for (const trigger of triggers) {
    nears ??= [...text.matchAll(rule.near)];
    if (nears.length === 0) return undefined;
    const end = trigger.index + trigger[0].length;
    // Triggers come in increasing order, so the pointer only moves forward: one merge pass.
    while (j < nears.length && nears[j]!.index < end) j++;
    const near = nears[j];
    if (near === undefined) return undefined;
    if (near.index - end <= within) return { start: trigger.index, end: near.index + near[0].length };
  }
  return undefined;
}
