// The build's steps after tsc (which compiles credentials/ and nodes/ into dist/):
// - icons: the light and dark SVG icons are copied next to the compiled code,
//   keeping the relative paths (`file:../../icons/x.svg`) that descriptions use;
// - schemas: each action node's operations' output schemas are written where n8n
//   looks for them (`<node folder>/__schema__/v1.0.0/<resource>/<operation>.json`).
const fs = require('fs');
const path = require('path');
const { series, src, dest } = require('gulp');

function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

async function buildSchemas() {
	const { nodes } = require('./package.json').n8n;
	for (const file of nodes) {
		const { resources } = require(path.resolve(file));
		if (!resources) continue;
		const versionDir = path.join(path.dirname(file), '__schema__', 'v1.0.0');
		for (const resource of resources) {
			for (const operation of resource.operations) {
				if (!operation.outputSchema) continue;
				const target = path.join(versionDir, resource.value, `${operation.value}.json`);
				fs.mkdirSync(path.dirname(target), { recursive: true });
				fs.writeFileSync(target, `${JSON.stringify(operation.outputSchema, null, 2)}\n`);
			}
		}
	}
}

exports['build:icons'] = buildIcons;
exports['build:schemas'] = buildSchemas;
exports.build = series(buildIcons, buildSchemas);
