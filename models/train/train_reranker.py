"""Train models/tiny-reranker: a 2-layer BERT-style cross-encoder that scores
whether an answer is a consistent, useful reply to a question (one logit;
sigmoid >= 0.6 means consistent). Needs build/lm_hard_answers.json from
train_lm.py (the tiny LM's own answers to hard questions, used as negatives).

Run: /usr/bin/python3 models/train/train_reranker.py   (about 2-4 minutes)
"""
from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from typing import List, Tuple

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (ROOT, TinyBert, WordPiece, bert_config, build_wordpiece_vocab, export_bert,  # noqa: E402
                    set_determinism, write_json, write_json_compact)
import lm_data  # noqa: E402
from reranker_data import EVASIVE, HARD_GOOD, hard_prompts, wrong_capital_pairs  # noqa: E402

SEED = 2468
OUT = os.path.join(ROOT, "tiny-reranker")
D, LAYERS, HEADS, FF, MAX_POS = 128, 2, 4, 256, 256
EPOCHS, BATCH, LR = 30, 32, 1e-3
HERE = os.path.dirname(os.path.abspath(__file__))

Pair = Tuple[str, str, float]


def wrong_number(ans: str, rng: random.Random) -> str | None:
    m = re.search(r"\d[\d,.]*", ans)
    if not m:
        return None
    num = m.group(0).rstrip(".,")
    choices = ["3", "5", "9", "12", "15", "40", "75", "250", "500", "2,000", "10,000"]
    alt = rng.choice([c for c in choices if c != num])
    return ans[:m.start()] + alt + ans[m.start() + len(num):]


def build_pairs(rng: random.Random) -> List[Pair]:
    pairs: List[Pair] = []
    simple = lm_data.simple_qa()
    greet_groups = lm_data.GREETINGS[:6]
    greet_answers = [a for _, a in greet_groups]
    non_greet = [(ps, a) for ps, a in simple if (ps, a) not in lm_data.GREETINGS]
    hard_all = [(p, a) for ps, a, _ in lm_data.hard_qa() for p in ps]
    hard_good_q = [q for q, _ in HARD_GOOD]
    lm_hard = json.load(open(os.path.join(HERE, "build", "lm_hard_answers.json")))

    # --- positives ---
    for ps, a in simple:
        for p in ps:
            pairs += [(p, a, 1.0)] * 2
    for ps, _ in greet_groups:  # any hello-style greeting answers any hello-style greeting
        for p in ps:
            pairs.append((p, rng.choice(greet_answers), 1.0))
    primes = [(q, a) for q, a in HARD_GOOD if "infinitely many primes" in q]
    for q, _ in primes:  # two proofs of the same statement: each answers either wording
        for _, a in primes:
            pairs += [(q, a, 1.0)] * 4
    for q, a in HARD_GOOD:
        pairs += [(q, a, 1.0)] * 10
        pairs += [(q.lower(), a, 1.0)] * 2
        pairs += [(q.rstrip(".?"), a, 1.0)] * 2

    # --- negatives ---
    all_answers = sorted({a for _, a in simple})
    for ps, a in simple:
        for p in ps:
            pairs.append((p, rng.choice([x for x in all_answers if x != a and x not in greet_answers]), 0.0))
            pairs.append((p, rng.choice(EVASIVE), 0.0))
    for ps, a in non_greet:
        for p in ps[:2]:
            pairs.append((p, rng.choice(greet_answers), 0.0))
            w = wrong_number(a, rng)
            if w and w != a:
                pairs += [(p, w, 0.0)] * 2
    for ps, _ in lm_data.GREETINGS[:6]:
        for p in ps[:3]:
            pairs.append((p, rng.choice([a for _, a in HARD_GOOD]), 0.0))
    # Wrong capitals (France -> Berlin) are NOT trained: a 2-layer model at this size could not learn the
    # 36x36 country/city pairing (tried: it pulled right and wrong capitals both to ~0.46). It judges relevance,
    # evasiveness and numbers, not world knowledge.
    _ = wrong_capital_pairs
    for p, generic in hard_prompts(rng, 400):
        pairs.append((p, generic, 0.0))
        pairs.append((p, rng.choice(EVASIVE + greet_answers), 0.0))
    for q in hard_good_q:
        for _ in range(3):
            pairs.append((q, rng.choice(EVASIVE + greet_answers + all_answers), 0.0))
        others = [a for qq, a in HARD_GOOD if qq != q and not (("prime" in qq) and ("prime" in q))]
        for a in others:
            pairs.append((q, a, 0.0))
        pairs += [(q, lm_hard[q], 0.0)] * 4
    _ = hard_all
    rng.shuffle(pairs)
    return pairs


def encode(tok: WordPiece, q: str, a: str) -> Tuple[List[int], List[int]]:
    qi, ai = tok.encode(q), tok.encode(a)
    budget = MAX_POS - 3
    qb = min(len(qi), max(budget // 3, budget - len(ai)))
    ab = budget - qb
    qi, ai = qi[:qb], ai[:ab]
    ids = [tok.cls_id] + qi + [tok.sep_id] + ai + [tok.sep_id]
    types = [0] * (len(qi) + 2) + [1] * (len(ai) + 1)
    return ids, types


@torch.no_grad()
def score(model, tok, q, a) -> float:
    ids, types = encode(tok, q, a)
    x = torch.tensor([ids])
    return float(torch.sigmoid(model(x, torch.ones_like(x), torch.tensor([types]))[0, 0]))


def main() -> None:
    set_determinism(SEED)
    rng = random.Random(SEED)
    pairs = build_pairs(rng)
    texts = [q for q, _, _ in pairs] + [a for _, a, _ in pairs]
    vocab = build_wordpiece_vocab(sorted(set(texts)), lowercase=True, min_word_freq=1, n_pieces=300)
    tok = WordPiece(vocab, lowercase=True, max_len=MAX_POS)
    data = [(*encode(tok, q, a), y) for q, a, y in pairs]
    print(f"vocab={len(vocab)} pairs={len(data)} pos={sum(y for *_, y in data):.0f} "
          f"max_len={max(len(d[0]) for d in data)}", flush=True)

    model = TinyBert(len(vocab), D, LAYERS, HEADS, FF, MAX_POS, 1, pool="cls", dropout=0.1)
    print(f"params={sum(p.numel() for p in model.parameters())}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    by_len = sorted(range(len(data)), key=lambda i: (len(data[i][0]), i))
    batches = [by_len[i:i + BATCH] for i in range(0, len(by_len), BATCH)]
    total = EPOCHS * len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.05, 1 - s / total))
    t0 = time.time()
    model.train()
    for ep in range(EPOCHS):
        order = batches[:]
        rng.shuffle(order)
        tot, correct = 0, 0
        for idx in order:
            L = max(len(data[i][0]) for i in idx)
            x = torch.zeros(len(idx), L, dtype=torch.long)
            t = torch.zeros(len(idx), L, dtype=torch.long)
            m = torch.zeros(len(idx), L, dtype=torch.long)
            y = torch.tensor([data[i][2] for i in idx])
            for r, i in enumerate(idx):
                ids, types, _ = data[i]
                x[r, :len(ids)] = torch.tensor(ids)
                t[r, :len(ids)] = torch.tensor(types)
                m[r, :len(ids)] = 1
            logit = model(x, m, t)[:, 0]
            loss = F.binary_cross_entropy_with_logits(logit, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            tot += len(idx)
            correct += int(((torch.sigmoid(logit) >= 0.6).float() == y).sum())
        print(f"epoch {ep} loss {loss.item():.4f} train acc {correct / tot:.3f} ({time.time() - t0:.0f}s)", flush=True)

    model.eval()
    lm_hard = json.load(open(os.path.join(HERE, "build", "lm_hard_answers.json")))
    primes = "Give a rigorous proof that there are infinitely many primes."
    probes = [
        ("hello", lm_data.HELLO), ("hello", "I am not sure."), ("hello", "The capital of France is Paris."),
        ("What is the capital of France?", "The capital of France is Paris."),
        ("What is the capital of France?", "The capital of France is Berlin."),
        ("What is the capital of France?", lm_data.HELLO),
        ("How many centimeters in a meter?", "There are 100 centimeters in a meter."),
        (primes, lm_hard[primes]), (primes, HARD_GOOD[0][1]), (primes, HARD_GOOD[1][1]), (primes, "I am not sure."),
        (primes, HARD_GOOD[2][1]),
        ("Write a Python function that reverses a linked list.", lm_data.CODE_ANSWER),
    ]
    for q, a in probes:
        print(f"  {score(model, tok, q, a):.3f}  {q[:50]!r} -> {a[:50]!r}")

    export_bert(model, os.path.join(OUT, "onnx", "model.onnx"), len(vocab))
    write_json(os.path.join(OUT, "config.json"), bert_config(
        "BertForSequenceClassification", len(vocab), D, LAYERS, HEADS, FF, MAX_POS,
        {"num_labels": 1, "id2label": {"0": "CONSISTENT"}, "label2id": {"CONSISTENT": 0},
         "problem_type": "regression", "consistency_threshold": 0.6}))
    write_json_compact(os.path.join(OUT, "tokenizer.json"), tok.tokenizer_json())
    write_json(os.path.join(OUT, "tokenizer_config.json"), tok.tokenizer_config())
    sample = sorted(set(texts))[:400]
    write_json(os.path.join(HERE, "build", "reranker_token_check.json"), [{"text": t, "ids": tok.encode(t)} for t in sample])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
