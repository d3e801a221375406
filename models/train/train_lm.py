"""Train models/tiny-lm: a tiny GPT-2-style causal LM with a byte-level BPE
tokenizer, exported to ONNX *with a KV cache* in the layout transformers.js
expects for `model_type: "gpt2"` decoder-only models.

Run: /usr/bin/python3 models/train/train_lm.py   (about 5-10 minutes on 2 cores)
"""
from __future__ import annotations

import math
import os
import random
import sys
import time
from typing import Dict, List

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, ByteBPE, learn_bpe, set_determinism, write_json, write_json_compact  # noqa: E402
import lm_data  # noqa: E402

SEED = 1234
OUT = os.path.join(ROOT, "tiny-lm")
SPECIALS = ["<|pad|>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]
N_MERGES = 700
N_EMBD, N_LAYER, N_HEAD, N_POS = 128, 4, 4, 512
EPOCHS = int(os.environ.get("LM_EPOCHS", "24"))
BATCH = 32
LR = 2e-3


class Block(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj2 = nn.Linear(4 * d, d)

    def forward(self, x, bias, past_k=None, past_v=None):
        b, s, d = x.shape
        hd = d // self.heads
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=-1)
        q = q.view(b, s, self.heads, hd).transpose(1, 2)
        k = k.view(b, s, self.heads, hd).transpose(1, 2)
        v = v.view(b, s, self.heads, hd).transpose(1, 2)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(hd)) + bias
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(b, s, d)
        x = x + self.c_proj(y)
        x = x + self.c_proj2(F.gelu(self.c_fc(self.ln_2(x))))
        return x, k, v


class TinyGPT(nn.Module):
    def __init__(self, vocab: int):
        super().__init__()
        self.wte = nn.Embedding(vocab, N_EMBD)
        self.wpe = nn.Embedding(N_POS, N_EMBD)
        self.h = nn.ModuleList([Block(N_EMBD, N_HEAD) for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(N_EMBD)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        s = input_ids.shape[1]
        total = attention_mask.shape[1]
        x = self.wte(input_ids) + self.wpe(position_ids)
        q_pos = torch.arange(s, device=input_ids.device) + (total - s)
        k_pos = torch.arange(total, device=input_ids.device)
        allowed = (k_pos[None, :] <= q_pos[:, None])[None, None, :, :] & (attention_mask[:, None, None, :] > 0)
        bias = (~allowed).to(x.dtype) * -1e9
        presents = []
        for i, block in enumerate(self.h):
            pk, pv = (past[2 * i], past[2 * i + 1]) if past is not None else (None, None)
            x, k, v = block(x, bias, pk, pv)
            presents += [k, v]
        logits = torch.matmul(self.ln_f(x), self.wte.weight.t())
        return logits, presents


class ExportWrapper(nn.Module):
    def __init__(self, model: TinyGPT):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past):
        logits, presents = self.model(input_ids, attention_mask, position_ids, list(past))
        return (logits, *presents)


def encode_conv(tok: ByteBPE, msgs: List[Dict[str, str]]):
    """ids + loss mask: only assistant content and its <|end|> are targets."""
    ids, mask = [], []
    for m in msgs:
        head = tok.encode(f"<|{m['role']}|>")
        body = tok.encode(m["content"]) + tok.encode("<|end|>")
        ids += head + body
        learn = m["role"] == "assistant"
        mask += [0] * len(head) + [1 if learn else 0] * len(body)
    return ids, mask


@torch.no_grad()
def greedy(model: TinyGPT, tok: ByteBPE, msgs: List[Dict[str, str]], max_new: int = 60) -> str:
    ids = tok.encode(lm_data.render(msgs, True))
    end = tok.vocab["<|end|>"]
    out = []
    for _ in range(max_new):
        x = torch.tensor([ids])
        logits, _ = model(x, torch.ones_like(x), torch.arange(x.shape[1])[None])
        nxt = int(logits[0, -1].argmax())
        if nxt == end:
            break
        out.append(nxt)
        ids.append(nxt)
    return tok.decode(out)


def main() -> None:
    set_determinism(SEED)
    rng = random.Random(SEED)
    convs = lm_data.build_conversations(rng, n_multi=800, n_system=400, n_long=160)
    corpus = [m["content"] for c in convs for m in c] + lm_data.SYSTEM_PROMPTS
    merges = learn_bpe(sorted(set(corpus)), N_MERGES)
    tok = ByteBPE(SPECIALS, merges)
    vocab = len(tok.vocab)
    # Cut long chats to whole turns that fit the context window.
    fitted = []
    for c in convs:
        while len(encode_conv(tok, c)[0]) > N_POS:
            c = c[:-2]
        fitted.append(c)
    convs = fitted
    data = [encode_conv(tok, c) for c in convs]
    maxlen = max(len(d[0]) for d in data)
    print(f"vocab={vocab} merges={len(merges)} convs={len(data)} max_len={maxlen}", flush=True)
    assert maxlen <= N_POS

    model = TinyGPT(vocab)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"params={n_params}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01, betas=(0.9, 0.98))
    warm = 100
    # Length-bucketed batches (little padding), batch order shuffled every epoch.
    by_len = sorted(range(len(data)), key=lambda i: (len(data[i][0]), i))
    batches = [by_len[i:i + BATCH] for i in range(0, len(by_len), BATCH)]
    schedule = []
    for _ in range(EPOCHS):
        ep = batches[:]
        rng.shuffle(ep)
        schedule += ep
    STEPS = len(schedule)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / STEPS)))))
    t0 = time.time()
    model.train()
    for step, idx in enumerate(schedule):
        L = max(len(data[i][0]) for i in idx)
        B = len(idx)
        x = torch.zeros(B, L, dtype=torch.long)
        m = torch.zeros(B, L, dtype=torch.long)
        att = torch.zeros(B, L, dtype=torch.long)
        for r, i in enumerate(idx):
            ids, mk = data[i]
            x[r, :len(ids)] = torch.tensor(ids)
            m[r, :len(ids)] = torch.tensor(mk)
            att[r, :len(ids)] = 1
        pos = torch.arange(L)[None].expand(B, L)
        logits, _ = model(x, att, pos)
        tgt = x[:, 1:].clone()
        tgt[m[:, 1:] == 0] = -100
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, vocab), tgt.reshape(-1), ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 200 == 0 or step == STEPS - 1:
            print(f"step {step} loss {loss.item():.4f} ({time.time() - t0:.0f}s)", flush=True)

    model.eval()
    # Greedy check on every single-turn training prompt + a sample of multi-turn ones.
    bad = 0
    pairs = lm_data.single_pairs()
    for p, a in pairs:
        got = greedy(model, tok, [{"role": "user", "content": p}])
        if got != a:
            bad += 1
            if bad <= 15:
                print(f"  MISMATCH {p!r}: {got!r} (want {a!r})")
    print(f"single-turn greedy exact: {len(pairs) - bad}/{len(pairs)}", flush=True)
    check = [c for c in convs if len(c) > 2][:100] + [c for c in convs if len(c) > 16][:20]
    bad_m = sum(greedy(model, tok, c[:-1]) != c[-1]["content"] for c in check)
    print(f"multi-turn/system greedy exact: {len(check) - bad_m}/{len(check)}", flush=True)
    for p in ["hello", "What is the capital of France?", "Give a rigorous proof that there are infinitely many primes.",
              "Write a haiku about the sea.", "What is the capital of Mars?"]:
        print(f"  {p!r} -> {greedy(model, tok, [{'role': 'user', 'content': p}])!r}")

    # ---- write the Hugging Face folder ----
    os.makedirs(os.path.join(OUT, "onnx"), exist_ok=True)
    end_id = tok.vocab["<|end|>"]
    write_json(os.path.join(OUT, "config.json"), {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": vocab,
        "n_positions": N_POS,
        "n_ctx": N_POS,
        "n_embd": N_EMBD,
        "n_layer": N_LAYER,
        "n_head": N_HEAD,
        "n_inner": 4 * N_EMBD,
        "activation_function": "gelu",
        "bos_token_id": end_id,
        "eos_token_id": end_id,
        "pad_token_id": tok.vocab["<|pad|>"],
        "use_cache": True,
        "transformers.js_config": {"dtype": "fp32"},
    })
    write_json(os.path.join(OUT, "generation_config.json"), {
        "bos_token_id": end_id, "eos_token_id": end_id, "pad_token_id": tok.vocab["<|pad|>"],
        "do_sample": False, "max_new_tokens": 64,
    })
    write_json_compact(os.path.join(OUT, "tokenizer.json"), tok.tokenizer_json())
    write_json(os.path.join(OUT, "tokenizer_config.json"), {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<|end|>", "eos_token": "<|end|>", "pad_token": "<|pad|>", "unk_token": None,
        "add_bos_token": False, "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": N_POS,
        "additional_special_tokens": ["<|system|>", "<|user|>", "<|assistant|>"],
        "chat_template": lm_data.CHAT_TEMPLATE,
    })

    wrapper = ExportWrapper(model).eval()
    past_len, s = 3, 2
    hd = N_EMBD // N_HEAD
    past = []
    in_names = ["input_ids", "attention_mask", "position_ids"]
    out_names = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(N_LAYER):
        for kind in ("key", "value"):
            past.append(torch.zeros(1, N_HEAD, past_len, hd))
            n_in, n_out = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            in_names.append(n_in)
            out_names.append(n_out)
            axes[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            axes[n_out] = {0: "batch_size", 2: "total_sequence_length"}
    ids = torch.tensor([[5, 6]])
    onnx_path = os.path.join(OUT, "onnx", "model.onnx")
    torch.onnx.export(wrapper, (ids, torch.ones(1, past_len + s, dtype=torch.long),
                                torch.tensor([[past_len, past_len + 1]]), *past),
                      onnx_path, input_names=in_names, output_names=out_names, dynamic_axes=axes,
                      opset_version=14, do_constant_folding=False)  # keep wte shared with the LM head
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    # Greedy answers the LM gives to the reranker's hard questions (used as negatives there).
    hard_outs = {}
    from reranker_data import HARD_GOOD
    for q, _ in HARD_GOOD:
        hard_outs[q] = greedy(model, tok, [{"role": "user", "content": q}])
    write_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "lm_hard_answers.json"), hard_outs)
    # Corpus sample for the Node tokenizer round-trip check.
    sample = sorted(set(lm_data.render(c, False) for c in convs))[:400]
    write_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "lm_token_check.json"),
               [{"text": t, "ids": tok.encode(t)} for t in sample])
    print(f"wrote {OUT} ({os.path.getsize(onnx_path)} bytes onnx)")


if __name__ == "__main__":
    main()
