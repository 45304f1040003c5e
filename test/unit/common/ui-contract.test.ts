// The UI contract mirrors the Prompter port (common/ cannot import main/): what the core hands a
// prompter must fit the contract, and what the contract carries back must be what the core expects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import {
  approvalAnswerSchema,
  approvalRequestSchema,
  elicitationAnswerSchema,
  elicitationPromptSchema,
  pendingPromptSchema,
  promptAnswerSchema,
  type ApprovalAnswerDto,
  type ElicitationAnswerDto,
} from '../../../common/ui-contract.js';
import type { ApprovalAnswer, ApprovalRequest, ElicitationAnswer, ElicitationPrompt } from '../../../main/core/ports/prompter.js';

// Type level: the port's shapes fit the contract's inputs, and the contract's answers are the port's.
type Assignable<From, To> = [From] extends [To] ? true : false;
const checks: [
  Assignable<ApprovalRequest, z.input<typeof approvalRequestSchema>>,
  Assignable<ElicitationPrompt, z.input<typeof elicitationPromptSchema>>,
  Assignable<ApprovalAnswerDto, ApprovalAnswer>,
  Assignable<ApprovalAnswer, ApprovalAnswerDto>,
  Assignable<ElicitationAnswerDto, ElicitationAnswer>,
] = [true, true, true, true, true];

const request: ApprovalRequest = {
  id: 'a1',
  client: { name: 'cursor', title: 'Cursor' },
  user: undefined,
  server: { id: 'incidents' },
  tool: { name: 'page_oncall', description: 'Pages someone' },
  arguments: { nested: { list: [1, 'two'] } },
  reasons: ['policy'],
  expiresAt: 1_800_000_000_000,
};

test('the type-level checks hold', () => {
  assert.deepEqual(checks, [true, true, true, true, true]);
});

test("a sample ApprovalRequest from the port parses, arguments untouched, and survives JSON", () => {
  const parsed = approvalRequestSchema.parse(JSON.parse(JSON.stringify(request)));
  assert.deepEqual(parsed.arguments, request.arguments);
  assert.equal(parsed.user, undefined);
  assert.ok(pendingPromptSchema.safeParse({ id: 'p1', shownAt: 1, kind: 'approval', request }).success);
});

test('both elicitation modes parse', () => {
  const base = { id: 'e1', client: { name: 'cursor' }, server: { id: 's' }, message: 'm', expiresAt: 1 };
  assert.ok(elicitationPromptSchema.safeParse({ ...base, mode: 'form', requestedSchema: { type: 'object', properties: {} } }).success);
  assert.ok(elicitationPromptSchema.safeParse({ ...base, mode: 'url', url: 'https://example.com' }).success);
  assert.ok(!elicitationPromptSchema.safeParse({ ...base, mode: 'sms' }).success);
});

test('answers: only the known ones, with typed form content', () => {
  assert.ok(approvalAnswerSchema.safeParse('allow-session').success);
  assert.ok(!approvalAnswerSchema.safeParse('allow-forever').success);
  assert.ok(elicitationAnswerSchema.safeParse({ action: 'accept', content: { a: 'x', n: 1, b: true, tags: ['p'] } }).success);
  assert.ok(!elicitationAnswerSchema.safeParse({ action: 'accept', content: { nested: { a: 1 } } }).success);
  assert.ok(!promptAnswerSchema.safeParse({ kind: 'approval', answer: { action: 'accept' } }).success);
  assert.ok(promptAnswerSchema.safeParse({ kind: 'notice', answer: 'dismiss' }).success);
});
