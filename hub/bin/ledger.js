#!/usr/bin/env node
// The `ledger` command, the bin of @approval-ledger/hub. It is committed (not a build output) so that
// `npm ci` links it into the root's node_modules/.bin before anything is built: `npx ledger` from the
// repository root then runs this project's CLI and can never resolve to a registry package of that name.
'use strict';

let cli;
try {
  cli = require('../dist/cli/ledger.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    console.error('ledger: the hub is not built yet; run `npm run build` (or `npm start`) first');
    process.exit(1);
  }
  throw error;
}
cli.main(process.argv);
