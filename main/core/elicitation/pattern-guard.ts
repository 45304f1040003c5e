// A `pattern` in an elicitation form comes from an MCP server. A regular expression built to
// backtrack forever would stall the whole broker when the host checks an answer against it, so the
// host runs each test in a V8 context with a time limit, and a test that runs out of time fails.
import { createContext, Script } from 'node:vm';
import { compilePattern, type PatternMatcher } from '../../../common/elicitation-schema.js';

const TEST = new Script('pattern.test(value)');

export function guardedPatternMatcher(timeoutMs = 100): PatternMatcher {
  const sandbox: { pattern: RegExp | undefined; value: string } = { pattern: undefined, value: '' };
  const context = createContext(sandbox);
  return (pattern, value) => {
    const compiled = compilePattern(pattern);
    if (compiled === undefined) return false;
    sandbox.pattern = compiled;
    sandbox.value = value;
    try {
      return TEST.runInContext(context, { timeout: timeoutMs }) === true;
    } catch {
      return false;
    } finally {
      sandbox.pattern = undefined;
      sandbox.value = '';
    }
  };
}
