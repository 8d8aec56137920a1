// Prints mocha's summary lines ("N passing", "N failing") after Vitest's own report, so the repository's test
// runner (scripts/test.mjs), which counts those lines across packages, counts the explorer's tests too.
export default class SummaryReporter {
  onTestRunEnd(testModules) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    console.log(`\n  ${passed} passing\n  ${failed} failing${skipped ? `\n  ${skipped} pending` : ''}\n`);
  }
}
