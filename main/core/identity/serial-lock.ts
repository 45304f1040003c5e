// Runs async tasks one at a time, in order. Every use of the refresh token goes through one lock:
// the IdP rotates refresh tokens, so two grants racing with the same token would spend it twice and
// the IdP would revoke the whole sign-in.
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
