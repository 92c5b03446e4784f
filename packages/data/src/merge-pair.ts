// SPDX-License-Identifier: MIT

/**
 * One BPE merge applied to a symbol sequence in place: every occurrence of the adjacent pair (a, b),
 * scanned left to right and never overlapping (so `a a a` with the pair (a, a) becomes `id a`), is
 * replaced by `id`. The step that training (Sennrich et al. 2016) and encoding share. Internal to the package.
 *
 * @param sym - the symbols of one pre-token; shortened in place.
 * @param a - left id of the pair.
 * @param b - right id of the pair.
 * @param id - the id the merge creates.
 * @example
 * const s = [97, 97, 97, 98];
 * mergePairInPlace(s, 97, 97, 259); // s is now [259, 97, 98]
 */
export function mergePairInPlace(sym: number[], a: number, b: number, id: number): void {
  let w = 0;
  for (let i = 0; i < sym.length; i++) {
    if (i + 1 < sym.length && sym[i] === a && sym[i + 1] === b) {
      sym[w++] = id;
      i++;
    } else sym[w++] = sym[i];
  }
  sym.length = w;
}
