import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../catalogue/catalogue.js';

/** The name and version in package.json: the manifest says which build wrote the package. */
export function toolVersion(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}
