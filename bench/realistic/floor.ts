/**
 * The read floor: a plain Node script that walks the workspace and reads
 * every file the engine would read (same names, same ignored directories,
 * same size limit), and does nothing else. `npm run bench` runs it as a
 * process beside the CLI and the server, so that their times are read as
 * ratios to it on a loaded machine.
 *
 *   node out/bench/realistic/floor.js <root>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyFileName } from '../../shared/formats';
import { IGNORED_DIRECTORIES } from '../../server/src/index/workspace';

const MAX_BYTES = 2048 * 1024;

function walk(dir: string, out: { files: number; bytes: number }): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!IGNORED_DIRECTORIES.has(entry.name)) walk(full, out);
    } else if (entry.isFile() && classifyFileName(entry.name) !== undefined) {
      if (fs.statSync(full).size > MAX_BYTES) continue;
      const text = fs.readFileSync(full, 'utf8');
      out.files++;
      out.bytes += text.length;
    }
  }
}

const counts = { files: 0, bytes: 0 };
walk(process.argv[2] ?? '.', counts);
process.stdout.write(JSON.stringify(counts) + '\n');
