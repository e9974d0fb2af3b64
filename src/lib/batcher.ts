/**
 * Write-behind batching: items are collected and handed to `write` together, when MAX items are waiting
 * or after `delayMs`, so thousands of small results become tens of transactions. `flush()` waits for
 * everything added so far; a failed write rejects the next add()/flush() (e.g. a full disk stops the run).
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #writing: Promise<void> = Promise.resolve();
  #error: unknown = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly max = 200,
    private readonly delayMs = 250,
  ) {}

  async add(item: T): Promise<void> {
    this.#throwIfFailed();
    this.#items.push(item);
    if (this.#items.length >= this.max) await this.#drain();
    else this.#timer ??= setTimeout(() => void this.#drain().catch(() => {}), this.delayMs);
  }

  async flush(): Promise<void> {
    await this.#drain();
    await this.#writing;
    this.#throwIfFailed();
  }

  #drain(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const items = this.#items.splice(0);
    if (items.length === 0) return this.#writing;
    this.#writing = this.#writing
      .then(() => this.write(items))
      .catch((error: unknown) => {
        this.#error ??= error;
      });
    return this.#writing;
  }

  #throwIfFailed(): void {
    if (this.#error !== null) throw this.#error;
  }
}
