// SPDX-License-Identifier: MIT
import type { BatchOptions, BatcherState, PrngState } from "./api.js";
import { createPrng, prngFromState, shuffleInPlace } from "./prng.js";

/**
 * An endless, seeded source of mini-batches over a fixed list of items. Each epoch visits every item
 * once, in a fresh Fisher–Yates permutation drawn from the batcher's PRNG; the permutation of epoch e+1
 * is drawn from the PRNG state left after epoch e's draw, so the whole sequence is a function of the seed.
 * {@link Batcher.state} captures the position exactly (for training checkpoints); restoring it continues
 * bit-for-bit.
 *
 * @example
 * const b = batches(["a", "b", "c", "d", "e"], 2, { seed: 1 });
 * b.next(); // two items
 * const saved = b.state();
 * const again = batches(["a", "b", "c", "d", "e"], 2, { seed: 1, state: saved });
 * again.next(); // same as b.next()
 */
export class Batcher<T> implements Iterable<T[]> {
  private readonly items: readonly T[];
  private readonly batchSize: number;
  private readonly dropLast: boolean;
  private readonly shuffle: boolean;
  private epochCount: number;
  private cursor: number;
  private epochStart: PrngState;
  /** The PRNG state left by this epoch's draw: where the next epoch's permutation starts. */
  private nextEpochStart!: PrngState;
  private order!: Uint32Array;

  /** @internal Use {@link batches}. */
  constructor(items: readonly T[], batchSize: number, options: BatchOptions) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batches: batchSize is ${batchSize}, must be a positive integer`);
    }
    if (items.length === 0) throw new RangeError("batches: items is empty, need at least one item");
    const dropLast = options.dropLast ?? false;
    if (dropLast && batchSize > items.length) {
      throw new RangeError(
        `batches: batchSize is ${batchSize} with dropLast, but there are only ${items.length} items (no batch would ever be produced)`,
      );
    }
    this.items = items;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.shuffle = options.shuffle ?? true;
    const s = options.state;
    if (s !== undefined) {
      if (s.version !== 1) throw new RangeError(`batches: state.version is ${String(s.version)}, expected 1`);
      if (s.numItems !== items.length) {
        throw new RangeError(`batches: state.numItems is ${s.numItems}, but items has ${items.length} entries`);
      }
      if (s.batchSize !== batchSize) {
        throw new RangeError(`batches: state.batchSize is ${s.batchSize}, but batchSize is ${batchSize}`);
      }
      if (s.dropLast !== dropLast) throw new RangeError(`batches: state.dropLast is ${s.dropLast}, but dropLast is ${dropLast}`);
      if (s.shuffle !== this.shuffle) throw new RangeError(`batches: state.shuffle is ${s.shuffle}, but shuffle is ${this.shuffle}`);
      if (!Number.isInteger(s.cursor) || s.cursor < 0 || s.cursor > items.length) {
        throw new RangeError(`batches: state.cursor is ${s.cursor}, must be an integer in [0, ${items.length}]`);
      }
      if (!Number.isInteger(s.epoch) || s.epoch < 0) throw new RangeError(`batches: state.epoch is ${s.epoch}, must be a non-negative integer`);
      this.epochStart = prngFromState(s.epochStart).state();
      this.epochCount = s.epoch;
      this.cursor = s.cursor;
    } else {
      this.epochStart = createPrng(options.seed).state();
      this.epochCount = 0;
      this.cursor = 0;
    }
    this.drawOrder();
  }

  /** Draws this epoch's order from `epochStart` and records the state the draw leaves. */
  private drawOrder(): void {
    const rng = prngFromState(this.epochStart);
    const order = new Uint32Array(this.items.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (this.shuffle) shuffleInPlace(order, rng);
    this.order = order;
    this.nextEpochStart = rng.state();
  }

  private nextEpoch(): void {
    this.epochStart = this.nextEpochStart;
    this.epochCount++;
    this.cursor = 0;
    this.drawOrder();
  }

  /**
   * Completed epochs so far.
   *
   * @example
   * if (batcher.epoch >= 3) stopTraining();
   */
  get epoch(): number {
    return this.epochCount;
  }

  /**
   * The next batch: `batchSize` items, or fewer at the end of an epoch unless `dropLast`.
   * Batches never straddle epochs.
   *
   * @example
   * const batch = batcher.next(); // e.g. 8 LM blocks
   */
  next(): T[] {
    const n = this.items.length;
    const remaining = n - this.cursor;
    if (remaining === 0 || (this.dropLast && remaining < this.batchSize)) this.nextEpoch();
    const end = Math.min(n, this.cursor + this.batchSize);
    const batch: T[] = new Array<T>(end - this.cursor);
    for (let i = this.cursor; i < end; i++) batch[i - this.cursor] = this.items[this.order[i]];
    this.cursor = end;
    return batch;
  }

  /**
   * The exact position, as plain JSON-serialisable data.
   *
   * @example
   * saveCheckpoint(dir, { params, meta: { extra: { batcher: batcher.state() } } });
   */
  state(): BatcherState {
    return {
      version: 1,
      numItems: this.items.length,
      batchSize: this.batchSize,
      dropLast: this.dropLast,
      shuffle: this.shuffle,
      epoch: this.epochCount,
      cursor: this.cursor,
      epochStart: [...this.epochStart] as unknown as PrngState,
    };
  }

  /**
   * Endless iteration (use `break` or take a fixed number of steps).
   *
   * @example
   * for (const batch of batcher) if (train(batch) === "done") break;
   */
  *[Symbol.iterator](): Iterator<T[]> {
    for (;;) yield this.next();
  }
}

/**
 * Seeded mini-batches over `items`, shuffled anew every epoch (Fisher–Yates driven by xoshiro128**),
 * endless, with a savable state. Same seed and items give the same batches on every machine.
 *
 * @param items - the dataset (e.g. K-token chunks or LM blocks); not copied, must not change afterwards.
 * @param batchSize - items per batch, a positive integer.
 * @param options - `seed` (required), `dropLast`, `shuffle`, and `state` to resume.
 * @returns a {@link Batcher}.
 * @throws RangeError for an empty `items`, a bad `batchSize`, or a `state` that does not match.
 * @example
 * const b = batches(blocks, 16, { seed: 1234 });
 * for (let step = 0; step < 100; step++) train(b.next());
 */
export function batches<T>(items: readonly T[], batchSize: number, options: BatchOptions): Batcher<T> {
  return new Batcher(items, batchSize, options);
}
