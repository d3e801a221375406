"""Shared helpers for the tiny-model training scripts.

Everything here is plain PyTorch + the standard library so that Debian's
python3-torch / python3-onnx are enough (no `transformers`, no `tokenizers`).
Tokenizers are re-implemented in Python *exactly* as the Hugging Face
tokenizers JSON we write describes them, so that transformers.js (which reads
that JSON) produces the same ids at run time. Each training script checks that
round trip on its own corpus (see tools/check_tokenizers.mjs).
"""
from __future__ import annotations

import json
import math
import os
import random
import re
import unicodedata
from collections import Counter
from typing import Dict, Iterable, List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # models/


def set_determinism(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def write_json(path: str, obj) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_json_compact(path: str, obj) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------------------
# Byte-level BPE (GPT-2 style) for the causal LM
# ---------------------------------------------------------------------------

def bytes_to_unicode() -> Dict[int, str]:
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENC = bytes_to_unicode()
BYTE_DEC = {v: k for k, v in BYTE_ENC.items()}
# ASCII-equivalent of the GPT-2 pre-tokenizer regex used by tokenizers' ByteLevel
# (\p{L} -> letters, \p{N} -> digits). Training text is ASCII-only so the two agree;
# the round-trip check in Node verifies it on the whole corpus.
GPT2_PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")


def byte_pretokenize(text: str) -> List[str]:
    return ["".join(BYTE_ENC[b] for b in tok.encode("utf-8")) for tok in GPT2_PAT.findall(text)]


def learn_bpe(texts: Iterable[str], num_merges: int) -> List[Tuple[str, str]]:
    words = Counter()
    for t in texts:
        for w in byte_pretokenize(t):
            words[w] += 1
    splits = {w: list(w) for w in words}
    merges: List[Tuple[str, str]] = []
    for _ in range(num_merges):
        pairs = Counter()
        for w, freq in words.items():
            s = splits[w]
            for i in range(len(s) - 1):
                pairs[(s[i], s[i + 1])] += freq
        if not pairs:
            break
        # deterministic: highest count, then lexicographic
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if best[1] < 2:
            break
        a, b = best[0]
        merges.append((a, b))
        for w in words:
            s = splits[w]
            i = 0
            out = []
            while i < len(s):
                if i < len(s) - 1 and s[i] == a and s[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            splits[w] = out
    return merges


class ByteBPE:
    def __init__(self, specials: Sequence[str], merges: List[Tuple[str, str]]):
        self.specials = list(specials)
        self.merges = merges
        self.ranks = {m: i for i, m in enumerate(merges)}
        vocab: Dict[str, int] = {}
        for s in self.specials:
            vocab[s] = len(vocab)
        for b in range(256):
            vocab[BYTE_ENC[b]] = len(vocab)
        for a, b in merges:
            if a + b not in vocab:
                vocab[a + b] = len(vocab)
        self.vocab = vocab
        self.inv = {i: t for t, i in vocab.items()}
        self._special_re = re.compile("(" + "|".join(re.escape(s) for s in self.specials) + ")")
        self._cache: Dict[str, List[str]] = {}

    def _bpe(self, word: str) -> List[str]:
        if word in self._cache:
            return self._cache[word]
        s = list(word)
        while len(s) > 1:
            best_i, best_r = -1, None
            for i in range(len(s) - 1):
                r = self.ranks.get((s[i], s[i + 1]))
                if r is not None and (best_r is None or r < best_r):
                    best_i, best_r = i, r
            if best_i < 0:
                break
            s = s[:best_i] + [s[best_i] + s[best_i + 1]] + s[best_i + 2:]
        self._cache[word] = s
        return s

    def encode(self, text: str) -> List[int]:
        ids: List[int] = []
        for part in self._special_re.split(text):
            if not part:
                continue
            if part in self.vocab and part in self.specials:
                ids.append(self.vocab[part])
                continue
            for w in byte_pretokenize(part):
                ids.extend(self.vocab[t] for t in self._bpe(w))
        return ids

    def decode(self, ids: Sequence[int], skip_special: bool = True) -> str:
        out = bytearray()
        for i in ids:
            t = self.inv[int(i)]
            if t in self.specials:
                if not skip_special:
                    out.extend(t.encode("utf-8"))
                continue
            out.extend(BYTE_DEC[c] for c in t)
        return out.decode("utf-8", errors="replace")

    def tokenizer_json(self) -> dict:
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True}
                for s in self.specials
            ],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": self.vocab,
                "merges": [[a, b] for a, b in self.merges],
            },
        }


# ---------------------------------------------------------------------------
# BERT-style WordPiece (BertNormalizer + BertPreTokenizer + WordPiece)
# ---------------------------------------------------------------------------

def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(ch).startswith("P")


def bert_normalize(text: str, lowercase: bool) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        out.append(" " if ch.isspace() else ch)
    text = "".join(out)
    if lowercase:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text


def bert_pretokenize(text: str) -> List[str]:
    words: List[str] = []
    cur = []
    for ch in text:
        if ch.isspace():
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punct(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


class WordPiece:
    def __init__(self, vocab_tokens: Sequence[str], lowercase: bool, max_len: int):
        self.vocab = {t: i for i, t in enumerate(vocab_tokens)}
        self.inv = list(vocab_tokens)
        self.lowercase = lowercase
        self.max_len = max_len
        self.pad_id = self.vocab["[PAD]"]
        self.unk_id = self.vocab["[UNK]"]
        self.cls_id = self.vocab["[CLS]"]
        self.sep_id = self.vocab["[SEP]"]

    def word_ids(self, word: str) -> List[int]:
        if len(word) > 100:
            return [self.unk_id]
        out = []
        start = 0
        while start < len(word):
            end = len(word)
            cur = None
            while start < end:
                piece = word[start:end]
                if start > 0:
                    piece = "##" + piece
                if piece in self.vocab:
                    cur = self.vocab[piece]
                    break
                end -= 1
            if cur is None:
                return [self.unk_id]
            out.append(cur)
            start = end
        return out

    def words(self, text: str) -> List[str]:
        return bert_pretokenize(bert_normalize(text, self.lowercase))

    def encode(self, text: str) -> List[int]:
        ids: List[int] = []
        for w in self.words(text):
            ids.extend(self.word_ids(w))
        return ids

    def tokenizer_json(self) -> dict:
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": False, "special": True}
                for s in BERT_SPECIALS
            ],
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": self.lowercase},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [self.cls_id], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [self.sep_id], "tokens": ["[SEP]"]},
                },
            },
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": self.vocab},
        }

    def tokenizer_config(self) -> dict:
        return {
            "tokenizer_class": "BertTokenizer",
            "do_lower_case": self.lowercase,
            "model_max_length": self.max_len,
            "clean_up_tokenization_spaces": True,
            "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
            "mask_token": "[MASK]",
        }


def build_wordpiece_vocab(texts: Iterable[str], lowercase: bool, min_word_freq: int, extra_words: Iterable[str] = (),
                          exclude_words: Iterable[str] = (), n_pieces: int = 400) -> List[str]:
    """Whole words seen >= min_word_freq times, every printable ASCII char (as a
    word start and as a ##continuation), plus the most frequent 2-4 char pieces
    of the remaining (rare) words so that unseen words split into syllable-ish
    pieces rather than single characters."""
    exclude = set(exclude_words)
    counts = Counter()
    for t in texts:
        for w in bert_pretokenize(bert_normalize(t, lowercase)):
            counts[w] += 1
    words = sorted(w for w, c in counts.items() if c >= min_word_freq and w not in exclude)
    words += sorted(set(bert_normalize(w, lowercase) for w in extra_words) - set(words))
    chars = [chr(c) for c in range(33, 127)]
    if lowercase:
        chars = [c for c in chars if not c.isupper()]
    pieces = Counter()
    for w, c in counts.items():
        if w in words and w not in exclude:
            continue
        for n in (2, 3, 4):
            for i in range(0, len(w) - n + 1):
                p = w[i:i + n]
                pieces[p if i == 0 else "##" + p] += c
    top = [p for p, _ in sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0]))[:n_pieces]]
    vocab = list(BERT_SPECIALS)
    seen = set(vocab)
    for t in chars + ["##" + c for c in chars] + words + top:
        if t not in seen:
            vocab.append(t)
            seen.add(t)
    return vocab


# ---------------------------------------------------------------------------
# A tiny BERT encoder (post-LN, like the original), exported with the input
# names transformers.js feeds to BERT models.
# ---------------------------------------------------------------------------

class BertLayer(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, s, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(x).split(d, dim=-1)
        q = q.view(b, s, self.heads, hd).transpose(1, 2)
        k = k.view(b, s, self.heads, hd).transpose(1, 2)
        v = v.view(b, s, self.heads, hd).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, s, d)
        x = self.ln1(x + self.drop(self.out(y)))
        x = self.ln2(x + self.drop(self.ff2(F.gelu(self.ff1(x)))))
        return x


class TinyBert(nn.Module):
    def __init__(self, vocab: int, d: int, layers: int, heads: int, ff: int, max_pos: int, n_out: int,
                 pool: str, dropout: float = 0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.typ = nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(d, heads, ff, dropout) for _ in range(layers)])
        self.drop = nn.Dropout(dropout)
        self.pool = pool  # 'none' (token classification) or 'cls'
        if pool == "cls":
            self.pooler = nn.Linear(d, d)
        self.head = nn.Linear(d, n_out)

    def forward(self, input_ids, attention_mask, token_type_ids):
        s = input_ids.shape[1]
        pos = torch.arange(s, device=input_ids.device).unsqueeze(0)
        x = self.tok(input_ids) + self.pos(pos) + self.typ(token_type_ids)
        x = self.drop(self.ln(x))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        if self.pool == "cls":
            x = torch.tanh(self.pooler(x[:, 0]))
            x = self.drop(x)
        return self.head(x)


def export_bert(model: TinyBert, path: str, vocab_size: int) -> None:
    model.eval()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ids = torch.randint(5, vocab_size, (2, 9), generator=torch.Generator().manual_seed(0))
    mask = torch.ones_like(ids)
    types = torch.zeros_like(ids)
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        model, (ids, mask, types), path,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                      "logits": {0: "batch_size", 1: "sequence_length"} if model.pool == "none" else {0: "batch_size"}},
        opset_version=14, do_constant_folding=True,
    )
    import onnx
    onnx.checker.check_model(onnx.load(path))


def bert_config(arch: str, vocab_size: int, d: int, layers: int, heads: int, ff: int, max_pos: int, extra: dict) -> dict:
    cfg = {
        "architectures": [arch],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": d,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ff,
        "hidden_act": "gelu",
        "max_position_embeddings": max_pos,
        "type_vocab_size": 2,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "transformers.js_config": {"dtype": "fp32"},
    }
    cfg.update(extra)
    return cfg
