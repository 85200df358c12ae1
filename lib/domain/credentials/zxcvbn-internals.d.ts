// zxcvbn-ts ships no declaration for the .cjs files behind its public entry; zxcvbn-scoring.ts
// reaches one of them (its match estimator) and types it there.
declare module '@zxcvbn-ts/core/dist/scoring/estimate.cjs' {
  const estimateGuesses: (options: unknown, match: unknown, password: string) => unknown;
  export default estimateGuesses;
}

// The characters its separator matcher treats as separators (zxcvbn-end-matchers.ts).
declare module '@zxcvbn-ts/core/dist/data/const.cjs' {
  export const SEPERATOR_CHARS: readonly string[];
}
