// SPDX-License-Identifier: MIT

import type { RngState } from "./api.js";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus, xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";

// pure-rand 8 is used because its generators expose their full state (`getState()` / `…FromState`), which
// is what bit-for-bit checkpoint resume needs; xoroshiro128+ is fast, 128 bits of state, and has `jump()`
// for independent streams. Box–Muller produces normals in pairs, so the cached spare is part of the state.

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * Seeded random number generator (xoroshiro128+ from pure-rand), passed explicitly to every op that needs
 * randomness. Library code never calls `Math.random`.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const saved = rng.getState();
 * const a = rng.nextFloat();
 * Rng.fromState(saved).nextFloat() === a; // true
 * ```
 */
export class Rng {
  private gen: Generator;
  private spare: number | null = null;

  /**
   * @param seed - any integer (taken modulo 2³²).
   * @throws RangeError if `seed` is not a finite integer.
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`Rng: seed must be an integer, got ${seed}`);
    this.gen = xoroshiro128plus(seed | 0);
  }

  /**
   * Restores a generator from {@link Rng.getState}.
   *
   * @throws RangeError if the state is malformed.
   * @example
   * ```ts
   * const copy = Rng.fromState(JSON.parse(JSON.stringify(rng.getState())));
   * ```
   */
  static fromState(state: RngState): Rng {
    if (
      state === null ||
      typeof state !== "object" ||
      !Array.isArray(state.generator) ||
      state.generator.length !== 4 ||
      !state.generator.every((w) => Number.isInteger(w)) ||
      !(state.spare === null || typeof state.spare === "number")
    ) {
      throw new RangeError(`Rng.fromState: state must be { generator: 4 integers, spare: number | null }, got ${JSON.stringify(state)}`);
    }
    const rng = new Rng(0);
    rng.gen = xoroshiro128plusFromState(state.generator);
    rng.spare = state.spare;
    return rng;
  }

  /**
   * A copy of the full state (plain numbers, JSON-able).
   *
   * @example
   * ```ts
   * JSON.stringify(new Rng(1).getState());
   * ```
   */
  getState(): RngState {
    return { generator: [...this.gen.getState()], spare: this.spare };
  }

  /**
   * An independent generator: a copy of this one advanced by 2⁶⁴ steps (xoroshiro128+ jump). This one is
   * also advanced, so repeated forks give distinct streams.
   *
   * @example
   * ```ts
   * const dropoutRng = rng.fork();
   * ```
   */
  fork(): Rng {
    this.gen.jump();
    const child = new Rng(0);
    child.gen = this.gen.clone();
    this.gen.jump();
    return child;
  }

  /**
   * Uniform integer in [0, 2³²).
   *
   * @example
   * ```ts
   * new Rng(1).nextU32();
   * ```
   */
  nextU32(): number {
    return this.gen.next() >>> 0;
  }

  /**
   * Uniform float in [0, 1), a multiple of 2⁻⁵³.
   *
   * @example
   * ```ts
   * new Rng(1).nextFloat();
   * ```
   */
  nextFloat(): number {
    return uniformFloat64(this.gen);
  }

  /**
   * Standard normal N(0, 1) by the Box–Muller transform (Box & Muller 1958), pairs cached.
   *
   * @example
   * ```ts
   * new Rng(1).nextNormal();
   * ```
   */
  nextNormal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 − u ∈ (0, 1], so the logarithm is finite.
    const u1 = 1 - uniformFloat64(this.gen);
    const u2 = uniformFloat64(this.gen);
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}
