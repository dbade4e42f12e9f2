/**
 * `tsx bench/src/profile-summary.ts <file.cpuprofile> [top]`: where a server child's CPU went — self time
 * by function and by owner (our packages vs tRPC vs node internals vs other dependencies), plus the
 * inclusive time of the frames that matter for the targets.
 */
import { readFileSync } from 'node:fs';
import { summarizeProfile } from './profile.ts';

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary <file.cpuprofile> [top]');
  process.exit(2);
}
const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top));
console.log(`${(summary.totalUs / 1000).toFixed(0)} ms sampled, ${(summary.busyUs / 1000).toFixed(0)} ms busy; shares are of busy time\n\nby owner (self time):`);
for (const o of summary.owners.slice(0, 20)) console.log(`  ${(o.share * 100).toFixed(1).padStart(5)}%  ${o.owner}`);
console.log('\nby owner, node internals charged to their nearest non-node caller:');
for (const o of summary.attributed.slice(0, 20)) console.log(`  ${(o.share * 100).toFixed(1).padStart(5)}%  ${o.owner}`);
console.log('\ntop functions (self time):');
for (const f of summary.functions) console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
