'use strict';
/* Ace by DAISY on several EPUBs in one Node process and one browser (tests/checkers.py:
   ace_reports). `ace` (the CLI) starts Node, loads Ace and launches Chromium for every
   book: seconds each, more than checking a leaflet-sized book takes. Here Ace's own
   library checks each book in turn with the same browser, writing each report where the
   CLI would (`<outdir>/report.json`).

   Usage: node tests/ace-batch.js EPUB OUTDIR [EPUB OUTDIR ...]
   Prints `@@ done <EPUB>` or `@@ failed <EPUB> <reason>` per book. */

const path = require('path');
const moduleDir = path.join(__dirname, '..', 'node_modules');
const ace = require(path.join(moduleDir, '@daisy', 'ace-core'));
const runner = require(path.join(moduleDir, '@daisy', 'ace-axe-runner-puppeteer'));
const logger = require(path.join(moduleDir, '@daisy', 'ace-logger'));

/* Ace launches and closes its browser around every book: launch it once instead. */
let launched = false;
const shared = Object.assign({}, runner, {
  launch: async () => {
    if (!launched) {
      await runner.launch();
      launched = true;
    }
  },
  close: async () => {},
});

async function main(args) {
  logger.initLogger({ verbose: false, silent: true });
  let failed = 0;
  for (let i = 0; i + 1 < args.length; i += 2) {
    const [epub, outdir] = [args[i], args[i + 1]];
    try {
      await ace(epub, { cwd: process.cwd(), outdir, silent: true, jobId: '' }, shared);
      console.log(`@@ done ${epub}`);
    } catch (error) {
      failed += 1;
      console.log(`@@ failed ${epub} ${(error && error.message) || error}`);
    }
  }
  if (launched) {
    await runner.close();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code),
  (error) => { console.error(error); process.exit(1); });
