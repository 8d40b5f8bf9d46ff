import fs from 'node:fs/promises';
import path from 'node:path';

/** Bytes used by the files in the photos folder (flat: photos are never in subfolders). */
export async function photoStorageBytes(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names) {
    const st = await fs.stat(path.join(dir, name)).catch(() => null);
    if (st?.isFile()) total += st.size;
  }
  return total;
}
