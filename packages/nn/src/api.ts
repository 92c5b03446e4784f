// SPDX-License-Identifier: MIT
//
// Public types of @calm/nn. Modules are plain parameter trees (nested plain objects and arrays whose leaves
// are tensors) so that @calm/tensor's valueAndGrad differentiates them directly and their dotted key paths
// are the reference implementation's state-dict names (CALM reference section 9).

import type { RngState, Tensor } from "@calm/tensor";

/**
 * Configuration of a {@link createLinear} layer (PyTorch `nn.Linear`).
 *
 * @example
 * ```ts
 * const config: LinearConfig = { inFeatures: 64, outFeatures: 256, bias: false };
 * ```
 */
export interface LinearConfig {
  /** Input features (last axis of x), an integer ≥ 1. */
  readonly inFeatures: number;
  /** Output features, an integer ≥ 1. */
  readonly outFeatures: number;
  /** Add a bias vector; default true (PyTorch's default). */
  readonly bias?: boolean;
  /** Standard deviation of the normal weight initialisation; default 0.02 (HF `initializer_range`). */
  readonly initStd?: number;
}

/**
 * Parameters of a linear layer: weight [out, in] (PyTorch layout, y = x·Wᵀ + b), optional bias [out].
 *
 * @example
 * ```ts
 * const { weight, bias } = createLinear({ inFeatures: 4, outFeatures: 3 }, new Rng(0)); // [3, 4], [3]
 * ```
 */
export type LinearParams = {
  readonly weight: Tensor;
  readonly bias?: Tensor;
};

/**
 * Configuration of a {@link createEmbedding} table (PyTorch `nn.Embedding`).
 *
 * @example
 * ```ts
 * const config: EmbeddingConfig = { numEmbeddings: 259, embeddingDim: 64, paddingIdx: 258 };
 * ```
 */
export interface EmbeddingConfig {
  /** Number of rows (vocabulary size), an integer ≥ 1. */
  readonly numEmbeddings: number;
  /** Row width (hidden size), an integer ≥ 1. */
  readonly embeddingDim: number;
  /** Row initialised to zero (PyTorch `padding_idx`; CALM reference 3.1 uses the PAD id). */
  readonly paddingIdx?: number;
  /** Standard deviation of the normal initialisation; default 0.02. */
  readonly initStd?: number;
}

/**
 * Parameters of an embedding table: weight [numEmbeddings, embeddingDim].
 *
 * @example
 * ```ts
 * const { weight } = createEmbedding({ numEmbeddings: 259, embeddingDim: 64 }, new Rng(0)); // [259, 64]
 * ```
 */
export type EmbeddingParams = {
  readonly weight: Tensor;
};

/**
 * Configuration of an {@link createRMSNorm} layer.
 *
 * @example
 * ```ts
 * const config: RMSNormConfig = { dim: 64 };
 * ```
 */
export interface RMSNormConfig {
  /** Normalised width (last axis), an integer ≥ 1. ε is an argument of {@link rmsNormForward} (default 1e-6). */
  readonly dim: number;
}

/**
 * Parameters of RMSNorm: weight [dim] (initialised to 1).
 *
 * @example
 * ```ts
 * const { weight } = createRMSNorm({ dim: 64 }); // 64 ones
 * ```
 */
export type RMSNormParams = {
  readonly weight: Tensor;
};

/**
 * Configuration of a {@link createLayerNorm} layer.
 *
 * @example
 * ```ts
 * const config: LayerNormConfig = { dim: 64 }; // affine, with bias
 * ```
 */
export interface LayerNormConfig {
  /** Normalised width (last axis), an integer ≥ 1. ε is an argument of {@link layerNormForward} (default 1e-6). */
  readonly dim: number;
  /** Learn a bias; default true (PyTorch `elementwise_affine` with bias). */
  readonly bias?: boolean;
}

/**
 * Parameters of LayerNorm: weight [dim] (initialised to 1), bias [dim] (initialised to 0).
 *
 * @example
 * ```ts
 * const { weight, bias } = createLayerNorm({ dim: 64 }); // ones, zeros
 * ```
 */
export type LayerNormParams = {
  readonly weight: Tensor;
  readonly bias?: Tensor;
};

/**
 * Configuration of a SwiGLU MLP ({@link createMLP}; HF `LlamaMLP`).
 *
 * @example
 * ```ts
 * const config: MLPConfig = { hiddenSize: 1024, intermediateSize: 2752 }; // CALM-M
 * ```
 */
export interface MLPConfig {
  /** Model width H. */
  readonly hiddenSize: number;
  /** Inner width I (CALM-M: 2752 for H = 1024). */
  readonly intermediateSize: number;
  /** Weight init std; default 0.02. */
  readonly initStd?: number;
}

/**
 * Parameters of a SwiGLU MLP: `gate_proj`, `up_proj` [I, H] and `down_proj` [H, I], no biases.
 *
 * @example
 * ```ts
 * const { gate_proj, up_proj, down_proj } = createMLP({ hiddenSize: 64, intermediateSize: 172 }, new Rng(0));
 * ```
 */
export type MLPParams = {
  readonly gate_proj: LinearParams;
  readonly up_proj: LinearParams;
  readonly down_proj: LinearParams;
};

/**
 * Configuration of causal multi-head self-attention with RoPE ({@link createAttention}; HF `LlamaAttention`).
 *
 * @example
 * ```ts
 * const config: AttentionConfig = { hiddenSize: 1024, numHeads: 16 }; // head_dim 64, θ 10000
 * ```
 */
export interface AttentionConfig {
  /** Model width H, divisible by `numHeads`; head_dim = H / numHeads must be even (RoPE). */
  readonly hiddenSize: number;
  /** Number of heads (MHA: as many key/value heads as query heads). */
  readonly numHeads: number;
  /** RoPE base θ; default 10000 (CALM reference 3.1). */
  readonly ropeTheta?: number;
  /** Weight init std; default 0.02. */
  readonly initStd?: number;
}

/**
 * Parameters of attention: `q_proj`, `k_proj`, `v_proj`, `o_proj`, each [H, H] without bias.
 *
 * @example
 * ```ts
 * const { q_proj, k_proj, v_proj, o_proj } = createAttention({ hiddenSize: 64, numHeads: 4 }, new Rng(0));
 * ```
 */
export type AttentionParams = {
  readonly q_proj: LinearParams;
  readonly k_proj: LinearParams;
  readonly v_proj: LinearParams;
  readonly o_proj: LinearParams;
};

/**
 * Configuration of a pre-norm Transformer block ({@link createTransformerBlock}; HF `LlamaDecoderLayer`).
 *
 * @example
 * ```ts
 * const config: TransformerBlockConfig = { hiddenSize: 64, intermediateSize: 172, numHeads: 4 };
 * ```
 */
export interface TransformerBlockConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHeads: number;
  /** RMSNorm ε; default 1e-6. */
  readonly rmsNormEps?: number;
  /** RoPE base θ; default 10000. */
  readonly ropeTheta?: number;
  /** Weight init std; default 0.02. */
  readonly initStd?: number;
}

/**
 * Parameters of a block, named as in HF Llama.
 *
 * @example
 * ```ts
 * const block = createTransformerBlock({ hiddenSize: 64, intermediateSize: 172, numHeads: 4 }, new Rng(0));
 * block.post_attention_layernorm.weight; // [64]
 * ```
 */
export type TransformerBlockParams = {
  readonly self_attn: AttentionParams;
  readonly mlp: MLPParams;
  readonly input_layernorm: RMSNormParams;
  readonly post_attention_layernorm: RMSNormParams;
};

/**
 * Configuration of a Transformer stack ({@link createTransformer}; HF `LlamaModel`).
 *
 * @example
 * ```ts
 * const calmM: TransformerConfig = { hiddenSize: 1024, intermediateSize: 2752, numHeads: 16, numLayers: 16 };
 * ```
 */
export interface TransformerConfig extends TransformerBlockConfig {
  /** Number of blocks, an integer ≥ 1. */
  readonly numLayers: number;
  /** With a vocabulary size the stack owns `embed_tokens` and accepts int32 token ids; without, it takes embeddings. */
  readonly vocabSize?: number;
  /** PAD id whose embedding row starts at zero (CALM reference 3.1). */
  readonly paddingIdx?: number;
}

/**
 * Parameters of a Transformer stack: optional `embed_tokens`, `layers`, final `norm` (HF `LlamaModel` names).
 *
 * @example
 * ```ts
 * const params = createTransformer({ vocabSize: 259, hiddenSize: 64, intermediateSize: 172, numHeads: 4, numLayers: 2 }, new Rng(0));
 * params.layers[1].self_attn.q_proj.weight; // "layers.1.self_attn.q_proj.weight"
 * ```
 */
export type TransformerParams = {
  readonly embed_tokens?: EmbeddingParams;
  readonly layers: readonly TransformerBlockParams[];
  readonly norm: RMSNormParams;
};

/**
 * Keys and values of one attention layer for the positions seen so far, [batch, heads, length, headDim]
 * each (null before the first call). The forward pass replaces them with the extended tensors.
 *
 * @example
 * ```ts
 * const layer: LayerKVCache = createKVCache(2).layers[0]; // { k: null, v: null }
 * ```
 */
export interface LayerKVCache {
  k: Tensor | null;
  v: Tensor | null;
}

/**
 * A KV cache for a whole stack: one {@link LayerKVCache} per layer.
 *
 * @example
 * ```ts
 * const cache: KVCache = createKVCache(config.numLayers);
 * ```
 */
export interface KVCache {
  readonly layers: LayerKVCache[];
}

/**
 * A parameter tree: a tensor, or nested plain objects/arrays of parameter trees. undefined and null leaves
 * are skipped (an absent optional bias; valueAndGrad's null gradient of an int32 input). Module parameter
 * types are type aliases rather than interfaces so that they are assignable to this index signature.
 *
 * @example
 * ```ts
 * const tree: ParamTree = { lm_head: { weight: w }, layers: [{ norm: { weight: n } }] };
 * ```
 */
export type ParamTree = Tensor | undefined | null | readonly ParamTree[] | { readonly [key: string]: ParamTree };

/**
 * Hyper-parameters of {@link adamwStep} (Loshchilov & Hutter 2019; PyTorch `torch.optim.AdamW`).
 *
 * @example
 * ```ts
 * const config: AdamWConfig = { beta1: 0.9, beta2: 0.95, weightDecay: 0.1 }; // the reference run
 * ```
 */
export interface AdamWConfig {
  /** β₁, the first-moment decay; default 0.9. */
  readonly beta1?: number;
  /** β₂, the second-moment decay; default 0.999 (the reference trains with 0.95). */
  readonly beta2?: number;
  /** ε added to sqrt(v̂); default 1e-8. */
  readonly eps?: number;
  /** Decoupled weight decay λ; default 0.01 (PyTorch's default). */
  readonly weightDecay?: number;
  /**
   * Which parameters decay, by state-dict name and tensor. Default: tensors of rank ≥ 2 (Linear and
   * Embedding weights); biases and norm weights (rank 1) do not decay.
   */
  readonly decay?: (name: string, param: Tensor) => boolean;
}

/**
 * AdamW state as a plain tree: the number of completed steps, and the first (m, PyTorch `exp_avg`) and
 * second (v, `exp_avg_sq`) moment estimates with the parameters' structure.
 *
 * @example
 * ```ts
 * const opt: AdamWState<typeof params> = createAdamWState(params); // step 0, zero moments
 * ```
 */
export interface AdamWState<P extends ParamTree = ParamTree> {
  readonly step: number;
  readonly m: P;
  readonly v: P;
}

/**
 * A learning-rate schedule: linear warmup from 0 to the peak, then constant or cosine decay.
 *
 * @example
 * ```ts
 * const schedule: ScheduleConfig = { peakLr: 3e-4, warmupSteps: 2000, kind: "cosine", totalSteps: 250_000 };
 * ```
 */
export interface ScheduleConfig {
  /** Peak learning rate, reached at the end of warmup; ≥ 0. */
  readonly peakLr: number;
  /** Warmup length in optimizer steps, an integer ≥ 0. */
  readonly warmupSteps: number;
  /** After warmup: `"constant"` (HF `constant_with_warmup`) or `"cosine"` (HF `cosine_with_warmup`). */
  readonly kind: "constant" | "cosine";
  /** Total optimizer steps (cosine only): the learning rate reaches `minLr` there. */
  readonly totalSteps?: number;
  /** Floor of the cosine decay; default 0. */
  readonly minLr?: number;
}

/**
 * What {@link saveCheckpoint} records in `state.json` besides the tensors.
 *
 * @example
 * ```ts
 * const meta: CheckpointMeta = { config, step: 100, rng: { data: rng.getState() }, extra: { cursor: 1600 } };
 * ```
 */
export interface CheckpointMeta {
  /** The model configuration (JSON), checked against the template's shapes at load time by the caller. */
  readonly config?: unknown;
  /** Completed optimizer steps. */
  readonly step?: number;
  /** The learning-rate schedule in use. */
  readonly schedule?: ScheduleConfig;
  /** Optimizer hyper-parameters (JSON; the `decay` predicate is code and is not stored). */
  readonly optimizerConfig?: unknown;
  /** State of every random generator needed to continue (e.g. data order, dropout). */
  readonly rng?: Readonly<Record<string, RngState>>;
  /** Data-loader position and anything else needed to resume (JSON). */
  readonly extra?: unknown;
}

/**
 * A checkpoint to write: parameters, optional optimizer state, and JSON state.
 *
 * @example
 * ```ts
 * saveCheckpoint(dir, { params, optimizer: opt, meta: { step: opt.step } } satisfies Checkpoint<typeof params>);
 * ```
 */
export interface Checkpoint<P extends ParamTree = ParamTree> {
  readonly params: P;
  readonly optimizer?: AdamWState<P>;
  readonly meta?: CheckpointMeta;
}
