// Why the audit log cannot be written, in words a user or admin can act on. better-sqlite3 raises
// SqliteError with SQLite's extended result code, the staging journal Node's errno codes; a few
// families of each matter.
export type StoreCondition = 'full' | 'read-only' | 'corrupt' | 'newer' | 'unavailable';

export interface StoreFailure {
  condition: StoreCondition;
  message: string;
}

export function storeFailure(error: unknown, file: string): StoreFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return { condition: 'full', message: `the audit log ${file} cannot grow: the disk (or its size limit) is full; free some space` };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return { condition: 'read-only', message: `the audit log ${file} is read-only (${detail}); make it and its folder writable by this user` };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return {
      condition: 'corrupt',
      message: `the audit log ${file} is damaged (${detail}); keep a copy for your security team, then move it aside so Gatehouse starts a new one`,
    };
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || /^E[A-Z]+$/.test(code)) {
    return { condition: 'unavailable', message: `the audit log ${file} cannot be read or written (${detail}); check the disk and the folder's permissions` };
  }
  return { condition: 'unavailable', message: `the audit log ${file} failed (${detail})` };
}
