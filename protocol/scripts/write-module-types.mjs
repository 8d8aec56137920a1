// Marks the two builds so Node loads dist/esm as ES modules and dist/cjs as CommonJS. Each marker repeats
// `"sideEffects": false`: bundlers read the nearest package.json, and without it they would keep every module
// of the package (zod and ethers included) even when a browser imports only registry labels.
import { writeFileSync } from 'node:fs';
writeFileSync(
  new URL('../dist/esm/package.json', import.meta.url),
  '{ "type": "module", "sideEffects": false }\n',
);
writeFileSync(
  new URL('../dist/cjs/package.json', import.meta.url),
  '{ "type": "commonjs", "sideEffects": false }\n',
);
