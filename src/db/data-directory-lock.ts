/**
 * One process per embedded data folder, with nothing but the file system (Node has no flock, and
 * no native module may be added).
 *
 * The lock is the folder `<dataDir>/lock` holding one entry named after its holder,
 * `<pid>.<random>`. It appears whole: each contender builds its own `lock.<pid>.<random>` folder
 * with its entry inside and renames it to `lock`, which the kernel does only while `lock` is
 * missing or empty. A lock whose process is gone (kill -9, a crash) is taken over, which is safe
 * because PostgreSQL recovers from its write-ahead log: its entry is deleted, by its unique name,
 * then `lock` itself if it is empty, and the rename tried again.
 *
 * Why no two live processes ever hold it at once, whatever the interleaving of any number of them:
 * - a process holds the folder from its rename until it deletes its entry, and while that entry is
 *   in `lock` neither a rename onto `lock` nor its removal (rmdir) can succeed: both need it empty;
 * - an entry is deleted only by its holder, or by a process that saw its pid not running. A
 *   contender acting on a stale view (the dead holder's entry, deleted meanwhile by another, who
 *   then took the folder) deletes nothing, since that name never comes back, and its rmdir meets
 *   the new holder's entry. A lock that is one file cannot be broken this way: deleting the path
 *   may delete a fresh lock written since it was read, and moving it aside to check it, even to
 *   put it back, leaves a moment without a lock in which a third process takes the folder;
 * - the lock is never seen half made, as an empty file is between `wx` and its write;
 * - each rename is atomic, so of contenders for a missing or empty `lock` exactly one succeeds and
 *   the others find its entry, with a live pid, and refuse.
 */
import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export class DataDirectoryInUseError extends Error {
  override name = "DataDirectoryInUseError";
}

/** Each failed rename either meets a live holder or removes a dead one, so a few always suffice. */
const MAX_ATTEMPTS = 50;

const ENTRY = /^(\d+)\.[0-9a-f]+$/;

/** Takes the data folder for this process, or throws DataDirectoryInUseError; returns the release. */
export function lockDataDirectory(dataDir: string): () => void {
  const lock = join(dataDir, "lock");
  const entry = `${process.pid}.${randomBytes(8).toString("hex")}`;
  const staging = `${lock}.${entry}`;
  try {
    mkdirSync(staging, { mode: 0o700 });
    writeFileSync(join(staging, entry), `${process.pid}\n`, { mode: 0o600 });
    renameIntoPlace(staging, lock);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const release = releaseOnce(lock, entry);
  try {
    removeAbandonedStaging(dataDir);
  } catch (error) {
    release();
    throw error;
  }
  return release;
}

function renameIntoPlace(staging: string, lock: string): void {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      renameSync(staging, lock);
      return;
    } catch (error) {
      if (!hasCode(error, "ENOTEMPTY", "EEXIST", "ENOTDIR")) throw error;
    }
    breakIfStale(lock);
  }
  throw new Error(`could not take ${lock} in ${MAX_ATTEMPTS} attempts; is another program changing it?`);
}

function breakIfStale(lock: string): void {
  let entries: string[];
  try {
    entries = readdirSync(lock);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return; // released meanwhile
    if (!hasCode(error, "ENOTDIR")) throw error;
    breakFileLock(lock);
    return;
  }
  for (const name of entries) {
    const holder = pidOf(name);
    // Our own pid is an earlier life of this process's pid (PID 1 in a restarted container).
    if (holder !== null && holder !== process.pid && isRunning(holder)) throw inUse(lock, holder);
  }
  // Every name is unique, so this deletes what was judged and nothing written since.
  for (const name of entries) rmSync(join(lock, name), { recursive: true, force: true });
  removeIfEmpty(lock);
}

/**
 * `lock` as the file of a version before this one: a pid. unlinkSync never deletes a folder, so
 * this deletes no lock of this version; only two such versions starting at once could still race.
 */
function breakFileLock(lock: string): void {
  let holder: number;
  try {
    holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
  } catch (error) {
    if (hasCode(error, "ENOENT", "EISDIR")) return;
    throw error;
  }
  if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
    throw inUse(lock, holder);
  }
  try {
    unlinkSync(lock);
  } catch (error) {
    // A folder now (EISDIR on Linux, EPERM on macOS): the next rename finds out whose.
    if (!hasCode(error, "ENOENT", "EISDIR", "EPERM")) throw error;
  }
}

/** Staging folders left by a process killed between building its lock and renaming it. */
function removeAbandonedStaging(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const pid = name.startsWith("lock.") ? pidOf(name.slice("lock.".length)) : null;
    if (pid !== null && (pid === process.pid || !isRunning(pid))) {
      rmSync(join(dataDir, name), { recursive: true, force: true });
    }
  }
}

function releaseOnce(lock: string, entry: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(join(lock, entry), { force: true });
    removeIfEmpty(lock);
  };
}

function removeIfEmpty(lock: string): void {
  try {
    rmdirSync(lock);
  } catch (error) {
    // Taken meanwhile (not empty), gone, or an older version's file: none is ours to remove.
    if (!hasCode(error, "ENOTEMPTY", "EEXIST", "ENOENT", "ENOTDIR")) throw error;
  }
}

function inUse(lock: string, holder: number): DataDirectoryInUseError {
  return new DataDirectoryInUseError(
    `the embedded database in ${join(lock, "..")} is in use by process ${holder}; one process at a time may open it. ` +
      `Stop that process, or set EMBEDDED_DATA_DIR to another folder, or use a PostgreSQL server (DATABASE_URL) to run several. ` +
      // A folder now, a file if an earlier version took it: rm -r removes either.
      `If no process ${holder} is running, remove the lock: rm -r ${lock}`,
  );
}

function pidOf(entry: string): number | null {
  const match = ENTRY.exec(entry);
  return match ? Number(match[1]) : null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return hasCode(error, "EPERM");
  }
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && codes.includes(code);
}
