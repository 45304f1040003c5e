// Every error Gatehouse raises carries a stable code (for programs, logs and the audit trail) and a
// message that tells the user, admin or agent what to do next.

export const GATEHOUSE_ERROR_CODES = [
  'GATEHOUSE_POLICY_NOT_FOUND',
  'GATEHOUSE_POLICY_INVALID',
  'GATEHOUSE_POLICY_UNREADABLE',
  'GATEHOUSE_PORT_IN_USE',
  'GATEHOUSE_BROKER_NOT_RUNNING',
  'GATEHOUSE_CLIENT_UNKNOWN',
  'GATEHOUSE_CLIENT_INVALID',
  'GATEHOUSE_SERVER_NOT_ALLOWED',
  'GATEHOUSE_SERVER_UNKNOWN',
  'GATEHOUSE_SERVER_UNAVAILABLE',
  'GATEHOUSE_UPSTREAM_ERROR',
  'GATEHOUSE_UPSTREAM_TIMEOUT',
  'GATEHOUSE_TOOL_UNKNOWN',
  'GATEHOUSE_TOOL_NOT_ALLOWED',
  'GATEHOUSE_RESOURCE_UNKNOWN',
  'GATEHOUSE_PROMPT_UNKNOWN',
  'GATEHOUSE_CAPABILITY_NOT_DECLARED',
  'GATEHOUSE_BAD_REQUEST',
  'GATEHOUSE_SIGN_IN_REQUIRED',
  'GATEHOUSE_SIGN_IN_FAILED',
  'GATEHOUSE_IDENTITY_NOT_CONFIGURED',
  'GATEHOUSE_IDP_UNREACHABLE',
  'GATEHOUSE_IDP_ERROR',
  'GATEHOUSE_KEYCHAIN_UNAVAILABLE',
  'GATEHOUSE_UPSTREAM_AUTH_FAILED',
  'GATEHOUSE_UPSTREAM_CONSENT_REQUIRED',
  'GATEHOUSE_UNSAFE_URL',
  'GATEHOUSE_RATE_LIMITED',
  'GATEHOUSE_DLP_BLOCKED',
  'GATEHOUSE_APPROVAL_DENIED',
  'GATEHOUSE_TOOL_QUARANTINED',
  'GATEHOUSE_TOOL_FLAGGED',
  'GATEHOUSE_USAGE',
  'GATEHOUSE_INTERNAL',
] as const;

export type GatehouseErrorCode = (typeof GATEHOUSE_ERROR_CODES)[number];

export class GatehouseError extends Error {
  override readonly name = 'GatehouseError';
  constructor(
    readonly code: GatehouseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof GatehouseError;
}
