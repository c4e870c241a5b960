// Counts the test cases that passed and failed from the machine-readable reports the suites
// write (JUnit XML from CTest and node --test, Catch2's XML reporter), never from the text
// they print. Prints "PASSED FAILED" on stdout and each failed case's name on stderr.
// A skipped or todo case counts as failed: a test that does not run proves nothing.
// Usage: node scripts/count-results.mjs REPORT.xml...
import { existsSync, readFileSync } from 'node:fs';

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function countJUnit(xml, failures) {
  let passed = 0, failed = 0;
  // <testcase .../> passed; <testcase ...>...</testcase> passed unless it holds a failure,
  // an error or a skip (node nests no testcase inside a testcase).
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[3] ?? '';
    if (/<(failure|error|skipped)\b/.test(body) || /\bstatus="(fail|failed|skipped|notrun)"/.test(m[1])) {
      failed++;
      failures.push(unescape(m[1].match(/\bname="([^"]*)"/)?.[1] ?? '?'));
    } else {
      passed++;
    }
  }
  return [passed, failed];
}

function countCatch2(xml, failures) {
  for (const m of xml.matchAll(/<TestCase name="([^"]*)"[\s\S]*?<OverallResult success="(true|false)"/g)) {
    if (m[2] === 'false') failures.push(unescape(m[1]));
  }
  // The last OverallResultsCases is the whole run's.
  const totals = [...xml.matchAll(/<OverallResultsCases successes="(\d+)" failures="(\d+)" expectedFailures="(\d+)"/g)].pop();
  if (!totals) return [0, 1];  // the run died before writing its totals
  return [Number(totals[1]), Number(totals[2]) + Number(totals[3])];
}

let passed = 0, failed = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) { failed++; failures.push(`${file}: no report (the suite did not finish)`); continue; }
  const xml = readFileSync(file, 'utf8');
  const [p, f] = xml.includes('<Catch') ? countCatch2(xml, failures) : countJUnit(xml, failures);
  passed += p; failed += f;
}
for (const name of failures) console.error(`FAILED: ${name}`);
console.log(`${passed} ${failed}`);
