import type { PolicyIssue } from './validate.js';

/** One line per issue, as `gatehouse policy validate` prints them: `$.servers[0].url: must use https ...`. */
export function formatIssues(issues: readonly PolicyIssue[]): string[] {
  return issues.map((issue) => `${issue.path}: ${issue.message}`);
}
