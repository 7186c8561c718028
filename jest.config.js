/** Test levels: unit (pure functions), sandbox (nodes over real HTTP against the
 *  provider sandbox), churn (triggers over hundreds of polls with a controlled clock)
 *  and e2e (a real n8n). */
// Type checking happens in `npm run lint` (tsc); ts-jest only transpiles.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest } };

module.exports = {
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...common, displayName: 'sandbox', testMatch: ['<rootDir>/test/sandbox-tests/**/*.test.ts'] },
		{ ...common, displayName: 'churn', testMatch: ['<rootDir>/test/churn/**/*.test.ts'] },
		{ ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
	],
};
