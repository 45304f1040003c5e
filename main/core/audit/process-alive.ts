// Whether a process of this machine still runs: a lease or staged events owned by a dead process
// (killed mid-sync, or between staging its events and sealing them) are taken over at once.
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in an owner tag `<pid>:<uuid>` (leases, staged events), or NaN. */
export function ownerPid(owner: string | undefined): number {
  return Number(owner?.split(':')[0]);
}
