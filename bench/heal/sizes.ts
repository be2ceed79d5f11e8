/** Corpus sizes shared by the fitting script and the benchmark, so both see the same splits. */
export const TRAIN_CASES = 720;
export const TEST_CASES = 720;
