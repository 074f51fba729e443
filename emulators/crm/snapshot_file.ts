import type { Logger } from "@app/shared/log";
import { fromSnapshot, type Snapshot } from "./state/snapshot.ts";

/** Reads a snapshot file; `undefined` when there is none yet. */
export async function readSnapshotFile(path: string): Promise<ReturnType<typeof fromSnapshot> | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  return fromSnapshot(JSON.parse(text));
}

/**
 * Saves the state to a JSON file a moment after each change (changes in a burst are saved once)
 * and on stop. Writes a temporary file and renames it, so a crash never leaves half a snapshot.
 */
export class SnapshotFile {
  #timer?: ReturnType<typeof setTimeout>;
  #saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly take: () => Snapshot,
    private readonly logger: Logger,
    private readonly debounceMs = 250,
  ) {}

  /** Saves soon. */
  schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.save();
    }, this.debounceMs);
  }

  /** Saves now (after any save in progress). */
  save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      const tmp = `${this.path}.tmp`;
      try {
        await Deno.writeTextFile(tmp, JSON.stringify(this.take()));
        await Deno.rename(tmp, this.path);
      } catch (err) {
        this.logger.error("saving the snapshot failed", { path: this.path, error: err });
      }
    });
    return this.#saving;
  }

  /** Cancels a scheduled save and saves one last time. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.save();
  }
}
