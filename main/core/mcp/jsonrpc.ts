// JSON-RPC envelopes as they cross Gatehouse. Only the envelope is validated here (once, at the
// boundary); params and results stay opaque until the step that needs them looks inside, so a
// 1 MiB tool argument is never walked twice.
import type { GatehouseErrorCode } from '../../../common/errors.js';

export type RequestId = string | number;
export type Params = Record<string, unknown>;

export interface JsonRpcRequest { jsonrpc: '2.0'; id: RequestId; method: string; params?: Params }
export interface JsonRpcNotification { jsonrpc: '2.0'; method: string; params?: Params }
export interface JsonRpcResult { jsonrpc: '2.0'; id: RequestId; result: Params }
export interface JsonRpcErrorObject { code: number; message: string; data?: unknown }
export interface JsonRpcError { jsonrpc: '2.0'; id: RequestId | null; error: JsonRpcErrorObject }
export type JsonRpcResponse = JsonRpcResult | JsonRpcError;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export type ParsedMessage =
  | { ok: true; message: JsonRpcMessage }
  | { ok: false; reason: string };

const MAX_ID_LENGTH = 512;
const MAX_METHOD_LENGTH = 256;

// Hand-written rather than zod: this runs on every message in both directions, and a schema that
// copies the object costs more than the rest of a forwarded call's parsing. It checks exactly what
// the old schema checked, and returns the caller's own object (members beyond the envelope are kept).
function idProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length <= MAX_ID_LENGTH ? undefined : `id: must be at most ${MAX_ID_LENGTH} characters`;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? undefined : 'id: must be an integer';
  return 'id: must be a string or an integer';
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function methodProblem(v: Record<string, unknown>): string | undefined {
  const method = v['method'];
  if (typeof method !== 'string') return 'method: must be a string';
  if (method.length < 1 || method.length > MAX_METHOD_LENGTH) return `method: must be 1 to ${MAX_METHOD_LENGTH} characters`;
  if ('params' in v && v['params'] !== undefined && !isPlainObject(v['params'])) return 'params: must be an object';
  return undefined;
}

function errorProblem(error: unknown): string | undefined {
  if (!isPlainObject(error)) return 'error: must be an object';
  if (typeof error['code'] !== 'number' || !Number.isInteger(error['code'])) return 'error.code: must be an integer';
  if (typeof error['message'] !== 'string') return 'error.message: must be a string';
  return undefined;
}

function envelopeProblem(v: Record<string, unknown>): string | undefined {
  if (v['jsonrpc'] !== '2.0') return 'jsonrpc: must be "2.0"';
  if ('method' in v) return ('id' in v ? idProblem(v['id']) : undefined) ?? methodProblem(v);
  if ('error' in v) return (v['id'] === null ? undefined : idProblem(v['id'])) ?? errorProblem(v['error']);
  return idProblem(v['id']) ?? (isPlainObject(v['result']) ? undefined : 'result: must be an object');
}

/** Validates one already-JSON-parsed value as a JSON-RPC message. */
export function toMessage(value: unknown): ParsedMessage {
  if (!isPlainObject(value)) return { ok: false, reason: 'a JSON-RPC message must be an object' };
  const problem = envelopeProblem(value);
  return problem === undefined ? { ok: true, message: value as unknown as JsonRpcMessage } : { ok: false, reason: problem };
}

export const isRequest = (m: JsonRpcMessage): m is JsonRpcRequest => 'method' in m && 'id' in m;
export const isNotification = (m: JsonRpcMessage): m is JsonRpcNotification => 'method' in m && !('id' in m);
export const isResponse = (m: JsonRpcMessage): m is JsonRpcResponse => !('method' in m);
export const isErrorResponse = (m: JsonRpcMessage): m is JsonRpcError => 'error' in m;

// Standard JSON-RPC codes, plus the MCP range we use for Gatehouse's own refusals.
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
export const REQUEST_TIMEOUT = -32001;
export const GATEHOUSE_REFUSED = -32010;

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): JsonRpcError {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/** A refusal by Gatehouse itself: the agent sees the stable code both in the message and in data. */
export function gatehouseErrorResponse(id: RequestId | null, code: GatehouseErrorCode, message: string, rpcCode = GATEHOUSE_REFUSED, details?: Record<string, unknown>): JsonRpcError {
  return errorResponse(id, rpcCode, `${code}: ${message}`, { gatehouse: { code, ...details } });
}

export function resultResponse(id: RequestId, result: Params): JsonRpcResult {
  return { jsonrpc: '2.0', id, result };
}

/** An object-valued field of untrusted JSON, or {} when it is anything else. */
export function asParams(value: unknown): Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Params) : {};
}

/** Map key for request ids: 1 and "1" are different ids. */
export const idKey = (id: RequestId): string => (typeof id === 'number' ? `n:${id}` : `s:${id}`);

/** Is this the response to the request whose id has this key? */
export const isResponseTo = (m: JsonRpcMessage, key: string): m is JsonRpcResponse => isResponse(m) && m.id !== null && idKey(m.id) === key;
