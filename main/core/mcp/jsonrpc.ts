// JSON-RPC envelopes as they cross Gatehouse. Only the envelope is validated here (once, at the
// boundary); params and results stay opaque until the step that needs them looks inside, so a
// 1 MiB tool argument is never walked twice.
import { z } from 'zod';
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

const id = z.union([z.string().max(512), z.number().int().finite()]);
const params = z.record(z.string(), z.unknown());

const RequestSchema = z.object({ jsonrpc: z.literal('2.0'), id, method: z.string().min(1).max(256), params: params.optional() });
const NotificationSchema = z.object({ jsonrpc: z.literal('2.0'), method: z.string().min(1).max(256), params: params.optional() });
const ResultSchema = z.object({ jsonrpc: z.literal('2.0'), id, result: params });
const ErrorSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: id.nullable(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
});

export type ParsedMessage =
  | { ok: true; message: JsonRpcMessage }
  | { ok: false; reason: string };

/** Validates one already-JSON-parsed value as a JSON-RPC message. */
export function toMessage(value: unknown): ParsedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'a JSON-RPC message must be an object' };
  const v = value as Record<string, unknown>;
  const schema = 'method' in v ? ('id' in v ? RequestSchema : NotificationSchema) : 'error' in v ? ErrorSchema : ResultSchema;
  const parsed = schema.safeParse(v);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  return { ok: true, message: parsed.data as JsonRpcMessage };
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
export function gatehouseErrorResponse(id: RequestId | null, code: GatehouseErrorCode, message: string, rpcCode = GATEHOUSE_REFUSED): JsonRpcError {
  return errorResponse(id, rpcCode, `${code}: ${message}`, { gatehouse: { code } });
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
