import { AppError } from "../errors/errors.ts";

/**
 * A delta cursor the server no longer knows (Graph `410 Gone` / `SyncStateNotFound`). The caller
 * drops the cursor and reads a complete listing, which reconciles and never deletes by omission.
 */
export class DeltaExpiredError extends AppError {
  constructor(message = "delta cursor expired; a full resync is needed", options?: { cause?: unknown }) {
    super("delta_expired", 410, message, options);
  }
}
