#!/usr/bin/env bash
# Retrain the three tiny models deterministically (fixed seeds, one thread).
# Needs Debian's PyTorch + ONNX:  apt-get install -y python3-torch python3-onnx
# Strongly recommended (15x faster, Debian's torch otherwise uses reference BLAS):
#   apt-get install -y libopenblas0-pthread
# Bit-for-bit identical weights need the same BLAS library on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, onnx' 2>/dev/null; then
  echo "missing PyTorch/ONNX: apt-get install -y python3-torch python3-onnx" >&2
  exit 1
fi
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
mkdir -p models/train/build
"$PY" models/train/train_lm.py          # writes build/lm_hard_answers.json used by the reranker
"$PY" models/train/train_ner.py
"$PY" models/train/train_reranker.py
node models/train/check_tokenizers.mjs  # Python tokenization == transformers.js tokenization
du -sh models/tiny-lm models/tiny-ner models/tiny-reranker
