/**
 * The local stack's Parameter Store: named string parameters kept in one JSON file in the stack's
 * state directory, so API keys issued locally survive a restart as they would on AWS.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface StoredParameter {
  name: string;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  version: number;
  lastModified: string;
}

export class ParameterStoreFile {
  private readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      for (const p of JSON.parse(readFileSync(file, 'utf8')) as StoredParameter[]) this.parameters.set(p.name, p);
    }
  }

  get(name: string): StoredParameter | undefined {
    return this.parameters.get(name);
  }

  /** Returns the new version, or `undefined` when the parameter exists and `overwrite` is false. */
  put(name: string, value: string, type: StoredParameter['type'], overwrite: boolean): number | undefined {
    const existing = this.parameters.get(name);
    if (existing && !overwrite) return undefined;
    const version = (existing?.version ?? 0) + 1;
    this.parameters.set(name, { name, value, type, version, lastModified: new Date().toISOString() });
    this.save();
    return version;
  }

  delete(name: string): boolean {
    const deleted = this.parameters.delete(name);
    if (deleted) this.save();
    return deleted;
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves half a file behind.
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.parameters.values()], null, 2));
    renameSync(temporary, this.file);
  }
}
