// Kept in step with package.json by test/unit/common/version.test.ts.
export const GATEHOUSE_VERSION = '0.1.0';
