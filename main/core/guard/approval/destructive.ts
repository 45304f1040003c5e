// Whether a tool may change things, by the MCP annotations' own defaults: destructiveHint defaults
// to true and readOnlyHint to false, so a tool that says nothing is treated as destructive.
import type { ToolDefinition } from '../pinning/tool-hash.js';

export function mayChangeThings(tool: ToolDefinition | undefined, annotationsTrusted: boolean): boolean {
  if (!annotationsTrusted || tool === undefined) return true;
  const annotations = tool['annotations'];
  if (typeof annotations !== 'object' || annotations === null) return true;
  const a = annotations as Record<string, unknown>;
  return a['destructiveHint'] === true || a['readOnlyHint'] !== true;
}
