// Prints the run's closing line in the plain form CI reads in any language:
// `N passed, N failed` (`, N skipped` when any were skipped), alone on the last line.
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    _reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let moduleFailures = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') moduleFailures += 1;
        else if (state === 'skipped') skipped += 1;
      }
      // A file that failed to load, or whose hooks failed, has no failed test to show for it:
      // it still counts as a failure so the closing line never reads "0 failed" on a red run.
      if (moduleFailures === 0 && (testModule.state() === 'failed' || testModule.errors().length > 0)) {
        moduleFailures = 1;
      }
      failed += moduleFailures;
    }
    failed += unhandledErrors.length;
    const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }
}
