import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{ ignores: ['dist/**', 'coverage/**', '.tmp/**'] },
	{
		// Tests, the sandbox and the demo launcher are Node programs, not n8n
		// nodes: they may use timers, the process object and the console.
		files: ['test/**/*.ts', 'gulpfile.js', 'jest.config.js'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'no-console': 'off',
		},
	},
];
