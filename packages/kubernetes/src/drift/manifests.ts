import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ValidationError } from '@iac-dharma/core/kernel';
import type { KubernetesObject } from '../kubernetes-objects.js';

/** A desired object with where it came from (for messages). */
export interface DesiredObject {
  object: KubernetesObject;
  /** `file#document` or `objects[index]`. */
  source: string;
}

/** Reads every `.yaml`, `.yml` and `.json` file under `directory` (recursively, sorted), one object per document; `List`s are expanded. */
export async function loadManifestDirectory(directory: string): Promise<DesiredObject[]> {
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory())
    throw new ValidationError(`manifests: "${directory}" is not a directory of YAML files.`, [
      { path: 'manifests', message: 'not a directory', code: 'invalid_value' },
    ]);
  const files: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.(ya?ml|json)$/i.test(entry.name)) files.push(full);
    }
  };
  await walk(directory);
  const objects: DesiredObject[] = [];
  for (const file of files) {
    let documents: unknown[];
    try {
      documents = yaml.loadAll(await readFile(file, 'utf8'));
    } catch (error) {
      throw new ValidationError(
        `manifests: ${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
        [{ path: file, message: 'invalid YAML', code: 'invalid_format' }],
        { cause: error },
      );
    }
    documents.forEach((document, index) => {
      if (document === null || document === undefined) return;
      objects.push(...expand(document, `${file}#${index}`));
    });
  }
  return objects;
}

/** Validates objects given in code (each needs apiVersion, kind and metadata.name). */
export function desiredObjects(objects: readonly unknown[]): DesiredObject[] {
  return objects.flatMap((object, index) => expand(object, `objects[${index}]`));
}

function expand(document: unknown, source: string): DesiredObject[] {
  const object = document as KubernetesObject;
  if (object?.kind === 'List' && Array.isArray(object.items))
    return (object.items as unknown[]).flatMap((item, index) => expand(item, `${source}.items[${index}]`));
  const problems: { path: string; message: string; code: string }[] = [];
  if (typeof object !== 'object' || object === null)
    problems.push({ path: source, message: 'not an object', code: 'invalid_type' });
  else {
    if (typeof object.apiVersion !== 'string')
      problems.push({ path: `${source}.apiVersion`, message: 'required', code: 'invalid_type' });
    if (typeof object.kind !== 'string')
      problems.push({ path: `${source}.kind`, message: 'required', code: 'invalid_type' });
    if (typeof object.metadata?.name !== 'string')
      problems.push({ path: `${source}.metadata.name`, message: 'required', code: 'invalid_type' });
  }
  if (problems.length > 0)
    throw new ValidationError(
      `manifests: ${problems.map((problem) => `${problem.path} ${problem.message}`).join('; ')}`,
      problems,
    );
  return [{ object: structuredClone(object), source }];
}
