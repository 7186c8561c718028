// The build's icon step: tsc compiles credentials/ and nodes/ into dist/, then
// this copies the light and dark SVG icons next to them, keeping the relative
// paths (`file:../../icons/x.svg`) that node and credential descriptions use.
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
