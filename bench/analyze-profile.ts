/**
 * Summarizes a server .cpuprofile (written by `npm run bench` into bench/results/profiles/, or by
 * `node --cpu-prof server.mjs`): CPU by owner (Next.js, bridge, oidc-provider, database, …).
 *
 *   npx tsx bench/analyze-profile.ts bench/results/profiles/token.cpuprofile [requests]
 */
import { resolve } from 'node:path';
import { analyzeProfile, profileToMarkdown } from './lib/profile-analysis';

const [file, requests] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/analyze-profile.ts <file.cpuprofile> [number of requests served while profiling]');
  process.exit(1);
}
console.log(profileToMarkdown(file, analyzeProfile(resolve(file), resolve(__dirname, '..')), Number(requests ?? 0)));
