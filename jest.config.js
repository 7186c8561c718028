/** Test levels: unit (pure functions), sandbox (nodes over real HTTP against the
 *  provider sandbox), churn (triggers over hundreds of polls with a controlled clock),
 *  e2e (a real n8n) and queue (a real n8n in queue mode with workers). */
// Type checking happens in `npm run lint` (tsc); ts-jest only transpiles.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/project-timeout.js'],
};

// Each project has its own timeout, sized for a busy 2-core machine (several times
// what a test takes there alone). No test asserts a duration: speed is benchmarked.
module.exports = {
	// The failing tests again at the very end, after every suite's console output: a
	// long log's tail then names what failed.
	reporters: [['default', { summaryThreshold: 0 }]],
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			globals: { testTimeoutMs: 60_000 },
		},
		{
			...common,
			displayName: 'sandbox',
			testMatch: ['<rootDir>/test/sandbox-tests/**/*.test.ts'],
			globals: { testTimeoutMs: 120_000 },
		},
		{
			...common,
			displayName: 'churn',
			testMatch: ['<rootDir>/test/churn/**/*.test.ts'],
			globals: { testTimeoutMs: 600_000 },
		},
		{
			...common,
			displayName: 'browser',
			testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
			globals: { testTimeoutMs: 900_000 },
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			globals: { testTimeoutMs: 900_000 },
		},
		{
			// n8n in queue mode (main, workers, PostgreSQL, Redis) and its durable scheduler.
			...common,
			displayName: 'queue',
			testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
			globals: { testTimeoutMs: 1_200_000 },
		},
	],
};
