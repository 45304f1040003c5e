// Texts that reach the UI are cut to the lengths the contract allows (common/ui-api.ts), so a long
// server error or tool title shortens the answer instead of failing its validation.
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
