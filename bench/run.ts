/**
 * `npm run bench -- <name> [args…]`: runs the `main(args)` exported by bench/<name>.ts.
 * The name is checked against the files in bench/, so only our own benchmarks are ever imported.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  main?: (args: string[]) => Promise<void> | void;
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const [name, ...args] = process.argv.slice(2);

if (name === undefined || !available.includes(name)) {
  console.error(
    `${name === undefined ? 'no benchmark named' : `unknown benchmark '${name}'`}; ` +
      `usage: npm run bench -- <name> [args]   (available: ${available.join(', ') || 'none'})`,
  );
  process.exitCode = 2;
} else {
  const module = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as BenchModule;
  if (typeof module.main !== 'function') {
    console.error(`bench/${name}.ts does not export a main() function`);
    process.exitCode = 2;
  } else {
    try {
      await module.main(args);
    } catch (error) {
      console.error(`\nbench ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
