import { GatehouseError } from '../../../common/errors.js';
import { formatIssues } from './format-issues.js';
import type { PolicyIssue } from './validate.js';

// Carries the issues themselves, not only the text, so the CLI and the desktop settings page can show
// them their own way while logs still get the full list from `message`.
export class PolicyInvalidError extends GatehouseError {
  constructor(
    readonly source: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = formatIssues(issues).map((line) => `  ${line}`);
    super(
      'GATEHOUSE_POLICY_INVALID',
      [`The Gatehouse policy from ${source} is invalid (${count}); fix ${issues.length === 1 ? 'it' : 'each'} and start Gatehouse again:`, ...lines].join('\n'),
    );
  }
}
