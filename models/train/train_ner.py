"""Train models/tiny-ner: a 2-layer BERT-style token classifier (BIO over PER,
LOC, ORG) on synthetic sentences, exported to ONNX for transformers.js.

Some first/last names, cities, organisations and templates are held out of
training; the script reports word-level accuracy and entity F1 on them.

Run: /usr/bin/python3 models/train/train_ner.py   (about 1-2 minutes)
"""
from __future__ import annotations

import os
import random
import sys
import time
from typing import List, Tuple

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (ROOT, TinyBert, WordPiece, bert_config, bert_normalize, bert_pretokenize,  # noqa: E402
                    build_wordpiece_vocab, export_bert, set_determinism, write_json, write_json_compact)

SEED = 4321
OUT = os.path.join(ROOT, "tiny-ner")
LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
D, LAYERS, HEADS, FF, MAX_POS = 128, 2, 4, 256, 128
EPOCHS, BATCH, LR = 10, 32, 2e-3

FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
         "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
         "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Paul", "Sandra", "Steven",
         "Ashley", "Andrew", "Emily", "Kenneth", "Donna", "Joshua", "Michelle", "Kevin", "Carol", "Brian", "Amanda",
         "George", "Melissa", "Edward", "Deborah", "Ahmed", "Fatima", "Mohammed", "Aisha", "Wei", "Mei", "Hiroshi",
         "Yuki", "Raj", "Priya", "Carlos", "Sofia", "Luis", "Lucia", "Pierre", "Claire", "Hans", "Greta", "Ivan",
         "Olga", "Kwame", "Amara", "Sven", "Ingrid", "Giovanni", "Chiara", "Mateo", "Valentina", "Omar", "Leila",
         "Dmitri", "Anya", "Jamal", "Keisha", "Noah", "Emma", "Liam", "Olivia", "Lucas", "Mia", "Ethan", "Chloe"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee",
        "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
        "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
        "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Nguyen",
        "Kim", "Patel", "Singh", "Khan", "Chen", "Wang", "Tanaka", "Sato", "Mueller", "Schmidt", "Dubois",
        "Rossi", "Ivanov", "Kowalski", "Novak", "Okafor", "Mensah", "Larsen", "Johansson", "Silva", "Santos",
        "Fernandez", "Costa", "Murphy", "O'Brien", "Fischer", "Weber", "Haddad", "Cohen"]
CITIES = ["London", "Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Dublin", "Amsterdam", "Brussels", "Vienna",
          "Prague", "Warsaw", "Stockholm", "Oslo", "Helsinki", "Copenhagen", "Athens", "Istanbul", "Moscow", "Cairo",
          "Nairobi", "Lagos", "Johannesburg", "Tokyo", "Osaka", "Beijing", "Shanghai", "Seoul", "Mumbai", "Delhi",
          "Bangkok", "Singapore", "Sydney", "Melbourne", "Auckland", "Toronto", "Vancouver", "Montreal", "Chicago",
          "Boston", "Seattle", "Denver", "Houston", "Miami", "Atlanta", "New York", "Los Angeles", "San Francisco",
          "Mexico City", "Buenos Aires", "Sao Paulo", "Lima", "Bogota", "Santiago", "Manchester", "Edinburgh",
          "Glasgow", "Munich", "Hamburg", "Zurich", "Geneva", "Milan", "Barcelona", "Lyon", "Marseille"]
COUNTRIES = ["France", "Germany", "Spain", "Italy", "Portugal", "Ireland", "England", "Scotland", "Wales",
             "Poland", "Sweden", "Norway", "Finland", "Denmark", "Greece", "Turkey", "Russia", "Egypt", "Kenya",
             "Nigeria", "Japan", "China", "Korea", "India", "Pakistan", "Thailand", "Vietnam", "Australia",
             "Canada", "Mexico", "Brazil", "Argentina", "Peru", "Chile", "Colombia", "the United States",
             "the United Kingdom", "the Netherlands", "Switzerland", "Austria", "Belgium"]
STREETS = ["Baker Street", "Main Street", "Elm Street", "Oak Avenue", "Maple Drive", "High Street", "Church Road",
           "Park Lane", "Oxford Street", "Fifth Avenue", "Sunset Boulevard", "Abbey Road", "King Street",
           "Station Road", "Mill Lane", "Cedar Avenue", "Victoria Road", "Queen Street"]
ORGS = ["Google", "Microsoft", "Apple", "Amazon", "IBM", "Intel", "Siemens", "Tesla", "Netflix", "Samsung",
        "Toyota", "Nestle", "Unilever", "Barclays", "HSBC", "Deutsche Bank", "Goldman Sachs", "the Red Cross",
        "the United Nations", "the World Bank", "the World Health Organization", "UNICEF", "NASA", "the BBC",
        "Reuters", "Oxford University", "Harvard University", "Stanford University", "MIT", "the Mayo Clinic",
        "Acme Corp", "Globex Inc", "Initech", "Umbrella Corporation", "Stark Industries", "Wayne Enterprises",
        "General Electric", "Pfizer", "Moderna", "Airbus", "Boeing", "Spotify", "Shopify", "Oracle", "Accenture",
        "Deloitte", "KPMG", "the European Commission", "the Federal Reserve", "St Mary's Hospital",
        "Northwind Traders", "Contoso Ltd"]

HELD_FIRST = ["Aurelia", "Bartholomew", "Ingrid", "Tobias", "Rosalind", "Kofi", "Svetlana", "Ezekiel", "Marisol", "Declan"]
HELD_LAST = ["Fairweather", "Okonkwo", "Lindqvist", "Castellano", "Whitaker", "Nakamura", "Abernathy", "Petrov",
             "Delacroix", "Hawthorne"]
HELD_CITIES = ["Rotterdam", "Valencia", "Krakow", "Porto", "Nagoya", "Brisbane", "Calgary", "Marrakesh"]
HELD_ORGS = ["Vandelay Industries", "Cyberdyne Systems", "Hooli", "Massive Dynamic", "Soylent Corp", "Oscorp"]
for n in ("Ingrid",):
    if n in FIRST:
        FIRST.remove(n)

TEMPLATES = [
    "My name is {PER}.", "my name is {PER} and I live in {LOC}.", "{PER} lives in {LOC}.",
    "{PER} works at {ORG}.", "{PER} works for {ORG} in {LOC}.", "I met {PER} in {LOC} last week.",
    "Please send the report to {PER} at {ORG}.", "Can you email {PER} about the meeting?",
    "{ORG} opened a new office in {LOC}.", "{ORG} is headquartered in {LOC}.", "I work at {ORG}.",
    "I used to work for {ORG} before moving to {LOC}.", "Call {PER} tomorrow morning.",
    "What did {PER} say about {ORG}?", "How far is {LOC} from {LOC}?", "I am flying from {LOC} to {LOC} on Monday.",
    "Book a table for two in {LOC} for {PER}.", "{PER} and {PER} are visiting {LOC}.",
    "Dear {PER}, thank you for your letter.", "Hi {PER}, are you coming to the party?",
    "The invoice from {ORG} was sent to {PER}.", "I live at 12 {STREET} in {LOC}.", "Her address is 7 {STREET}, {LOC}.",
    "Write a letter to {PER} at {ORG} asking for a refund.", "Is {ORG} hiring in {LOC}?",
    "{PER} was born in {LOC} and studied at {ORG}.", "My doctor, Dr. {PER}, works at {ORG}.",
    "Tell {PER} that the package arrived in {LOC}.", "My manager {PER} said {ORG} will sign the deal.",
    "What is the weather like in {LOC} today?", "What is the capital of {LOC}?", "Translate this for {PER}.",
    "Remind me to call {PER} at 5 pm.", "My sister {PER} moved to {LOC} for a job at {ORG}.",
    "{PER} from {ORG} will join the call.", "Is it safe to travel to {LOC} in winter?",
    "I have an appointment with {PER} at {ORG} on Friday.", "Our team at {ORG} in {LOC} needs help.",
    "Summarize the email from {PER}.", "{LOC} is a beautiful city.", "Ask {PER} to review the contract with {ORG}.",
    "Who is the CEO of {ORG}?", "Send {PER} the photos from {LOC}.", "I'm {PER}, nice to meet you.",
    "The conference in {LOC} is sponsored by {ORG}.", "{PER} said hello.", "Meet me on {STREET} near the station.", "The shop on {STREET} is closed.",
]
TEMPLATES += [  # narrative-style sentences with entities, so plain prose does not imply "no entity"
    "Yesterday the train to {LOC} was late.", "Last night {PER} and I watched a film.",
    "The weather in {LOC} was fine and nothing else happened.", "Then we drove to {LOC} and swam.",
    "Later that evening {PER} called from {ORG}.", "My brother bought a bicycle from {ORG} last week.",
    "Tomorrow {PER} will be in {LOC} for the meeting.", "Everyone from {ORG} enjoyed the concert in {LOC}.",
    "It rained all morning in {LOC}, so {PER} stayed inside.", "The doctor at {ORG} said {PER} should rest.",
    "On Monday {PER} visited the museum in {LOC}.", "Somebody from {ORG} left a bag on the bus.",
]
HELD_TEMPLATES = [
    "Yesterday {PER} drove to {LOC} to visit {ORG}.", "Could {PER} forward the slides to {ORG}?",
    "We are relocating from {LOC} to {LOC} because of {ORG}.", "Last year {PER} joined {ORG} as an engineer.",
]

NO_ENTITY = [
    "what are the symptoms of diabetes?", "What are the symptoms of the flu?", "How do I reset my password?",
    "Explain how photosynthesis works.", "Write a Python function that sorts a list.", "What is the meaning of life?",
    "How many centimeters are in a meter?", "Give a rigorous proof that there are infinitely many primes.",
    "What is the best way to learn a new language?", "Tell me a joke.", "hello", "Hello!", "hi there",
    "How are you?", "thanks for your help", "Can you summarize this article?", "What time is it?",
    "How do I bake sourdough bread?", "Is coffee bad for your health?", "What is the boiling point of water?",
    "Why is the sky blue?", "How do vaccines work?", "What causes high blood pressure?", "How can I sleep better?",
    "Recommend a good book about history.", "What is machine learning?", "Explain recursion with an example.",
    "How do I change a flat tire?", "What should I cook for dinner tonight?", "Write a poem about the sea.",
    "What is the difference between a virus and a bacterium?", "How do I invest my savings?",
    "Convert 5 miles to kilometers.", "What is 12 times 9?", "Please help me write a cover letter.",
    "My head hurts and I feel dizzy.", "I lost my wallet, what should I do?", "When is the next full moon?",
    "Can you check my grammar?", "The meeting is at noon on Tuesday.", "Turn off the lights.",
    "Good morning, how can I improve my resume?", "What are the side effects of ibuprofen?",
    "Is it going to rain tomorrow?", "Explain the theory of relativity in simple terms.",
    "How do I open a bank account?", "What is a prime number?", "Sort these numbers from smallest to largest.",
    "Describe the water cycle.", "What does a mortgage broker do?", "I feel anxious before exams.",
    "Create a workout plan for beginners.", "How many calories are in an apple?", "What is inflation?",
    "Can dogs eat chocolate?", "The train was late again this morning.", "Please book a meeting for Monday.",
    "Write a SQL query to count users.", "What is the square root of 144?", "How old is the universe?",
]


NARRATIVE = [
    "The weather was fine and nothing else happened that day.", "We walked home slowly after dinner.",
    "Yesterday the train was late and the station was crowded.", "It rained all morning, so we stayed inside.",
    "My brother bought a new bicycle last week.", "The children played in the garden until sunset.",
    "Our neighbour painted the fence bright green.", "The report is due on Friday afternoon.",
    "Please water the plants while I am away.", "She finished the puzzle before breakfast.",
    "The old bridge was closed for repairs.", "Dinner was delicious, thank you for cooking.",
    "He forgot his umbrella at the office again.", "The museum opens at nine every morning.",
    "Everyone enjoyed the concert in the park.", "Remember to lock the door when you leave.",
    "The kitten slept on the warm windowsill.", "I need to renew my library card soon.",
    "Traffic was heavy because of the storm.", "The soup needs more salt and pepper.",
    "Last night we watched a documentary about whales.", "Tomorrow will be sunny with light winds.",
    "The printer on the second floor is broken.", "Somebody left a bag on the bus.",
    "My grandmother grows tomatoes and beans.", "The meeting was moved to next Thursday.",
    "Nothing interesting happened at work today.", "The doctor said I should rest for a week.",
    "Then we drove to the beach and swam.", "Later that evening the lights went out.",
]


def lm_no_entity_sentences() -> List[str]:
    """Prompts/answers from the LM's synthetic data with no capitalised word past the first (no names)."""
    import lm_data
    texts = set(lm_data.SYSTEM_PROMPTS)
    for ps, a in lm_data.simple_qa():
        texts.update(ps)
        texts.add(a)
    for ps, a, _ in lm_data.hard_qa():
        texts.update(ps)
        texts.add(a)
    out = []
    for t in sorted(texts):
        words = bert_pretokenize(t)
        if all(not w[:1].isupper() or i == 0 or w == "I" for i, w in enumerate(words)) and "Edgewise" not in t:
            out.append(t)
    return out


SYL = ["ka", "lo", "mi", "ra", "ne", "to", "sa", "vi", "do", "re", "an", "el", "or", "is", "ber", "tin", "mar",
       "son", "dal", "wen", "gar", "lin", "ros", "hel", "quin", "zor", "bra", "fen", "mo", "ta", "li", "ven"]
CITY_SUFFIX = ["burg", "ville", "ton", "ford", "stad", "polis", "mouth", "field", "dam", "grad"]
ORG_SUFFIX = ["Inc", "Systems", "Industries", "Labs", "Bank", "Group", "Foundation", "Holdings", "Corporation",
              "University", "Hospital", "Partners", "Technologies", "Institute"]


def pseudo(rng: random.Random, n_min: int = 2, n_max: int = 3) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(n_min, n_max))).capitalize()


class SyntheticPool(list):
    """A pool that, 40% of the time, returns an invented name instead of a listed one."""

    def __init__(self, items, kind):
        super().__init__(items)
        self.kind = kind


def draw(rng: random.Random, pool) -> str:
    if isinstance(pool, SyntheticPool) and rng.random() < 0.4:
        if pool.kind == "city":
            return pseudo(rng, 1, 2) + rng.choice(CITY_SUFFIX)
        if pool.kind == "org":
            return f"{pseudo(rng)} {rng.choice(ORG_SUFFIX)}" if rng.random() < 0.7 else pseudo(rng)
        return pseudo(rng)
    return rng.choice(pool)


def person(rng, firsts, lasts) -> str:
    r = rng.random()
    if r < 0.55:
        return f"{draw(rng, firsts)} {draw(rng, lasts)}"
    if r < 0.8:
        return draw(rng, firsts)
    if r < 0.9:
        return f"{rng.choice(['Mr.', 'Ms.', 'Mrs.', 'Dr.'])} {draw(rng, lasts)}"
    return f"{draw(rng, firsts)} {draw(rng, firsts)[0]}. {draw(rng, lasts)}"


def fill(tpl: str, rng: random.Random, pools) -> Tuple[List[str], List[str]]:
    """Return words and BIO labels (word = BERT pre-token)."""
    firsts, lasts, locs, streets, orgs = pools
    words: List[str] = []
    labels: List[str] = []
    parts = tpl.replace("{", "\x00{").replace("}", "}\x00").split("\x00")
    for part in parts:
        if not part:
            continue
        if part in ("{PER}", "{LOC}", "{ORG}", "{STREET}"):
            kind = "LOC" if part == "{STREET}" else part[1:-1]
            if kind == "PER":
                ent = person(rng, firsts, lasts)
                # titles are not part of the name span
                for title in ("Mr. ", "Ms. ", "Mrs. ", "Dr. "):
                    if ent.startswith(title):
                        tw = bert_pretokenize(title)
                        words += tw
                        labels += ["O"] * len(tw)
                        ent = ent[len(title):]
            elif part == "{STREET}":
                ent = rng.choice(streets)
            elif kind == "LOC":
                ent = draw(rng, locs)
            else:
                ent = draw(rng, orgs)
            prefix_o = []
            if ent.startswith("the "):
                prefix_o = ["the"]
                ent = ent[4:]
            ew = bert_pretokenize(ent)
            words += prefix_o
            labels += ["O"] * len(prefix_o)
            words += ew
            labels += [("B-" if i == 0 else "I-") + kind for i in range(len(ew))]
        else:
            tw = bert_pretokenize(part)
            words += tw
            labels += ["O"] * len(tw)
    return words, labels


def make_set(rng: random.Random, n: int, templates, pools, no_entity, lower_p=0.15):
    out = []
    for i in range(n):
        if rng.random() < 0.3:
            s = rng.choice(no_entity)
            w = bert_pretokenize(s)
            ex = (w, ["O"] * len(w))
        else:
            ex = fill(rng.choice(templates), rng, pools)
        if rng.random() < 0.25:  # two sentences in one text, in either order
            w2 = bert_pretokenize(rng.choice(no_entity)) if rng.random() < 0.6 else None
            ex2 = (w2, ["O"] * len(w2)) if w2 else fill(rng.choice(templates), rng, pools)
            ex = (ex[0] + ex2[0], ex[1] + ex2[1]) if rng.random() < 0.5 else (ex2[0] + ex[0], ex2[1] + ex[1])
        if rng.random() < lower_p:
            ex = ([x.lower() for x in ex[0]], ex[1])
        out.append(ex)
    return out


def encode(tok: WordPiece, words: List[str], labels: List[str]):
    ids, tags = [tok.cls_id], [-100]
    for w, l in zip(words, labels):
        pieces = tok.word_ids(bert_normalize(w, False))
        ids += pieces
        tags += [LABELS.index(l)] + [-100] * (len(pieces) - 1)
    ids = ids[:MAX_POS - 1] + [tok.sep_id]
    tags = tags[:MAX_POS - 1] + [-100]
    return ids, tags


def spans(labels: List[str]):
    out, cur = set(), None
    for i, l in enumerate(labels + ["O"]):
        if cur and not (l.startswith("I-") and l[2:] == cur[0]):
            out.add((cur[0], cur[1], i))
            cur = None
        if l.startswith("B-") or (l.startswith("I-") and cur is None):
            cur = (l[2:], i)
    return out


@torch.no_grad()
def evaluate(model, tok, data):
    model.eval()
    tp = fp = fn = 0
    wc = wt = 0
    for words, labels in data:
        ids, tags = encode(tok, words, labels)
        x = torch.tensor([ids])
        logits = model(x, torch.ones_like(x), torch.zeros_like(x))[0]
        pred = [LABELS[int(logits[i].argmax())] for i, t in enumerate(tags) if t != -100]
        gold = labels[:len(pred)]
        wc += sum(p == g for p, g in zip(pred, gold))
        wt += len(gold)
        ps, gs = spans(pred), spans(gold)
        tp += len(ps & gs)
        fp += len(ps - gs)
        fn += len(gs - ps)
    f1 = 2 * tp / max(1, 2 * tp + fp + fn)
    model.train()
    return wc / max(1, wt), f1


def main() -> None:
    set_determinism(SEED)
    rng = random.Random(SEED)
    locs = CITIES + COUNTRIES
    pools = (SyntheticPool(FIRST, "first"), SyntheticPool(LAST, "last"), SyntheticPool(locs, "city"), STREETS,
             SyntheticPool(ORGS, "org"))
    no_entity = NO_ENTITY + NARRATIVE + lm_no_entity_sentences()
    print(f"no-entity sentences: {len(no_entity)}")
    train = make_set(rng, 10000, TEMPLATES, pools, no_entity)
    held_pools = (HELD_FIRST, HELD_LAST, HELD_CITIES, STREETS, HELD_ORGS)
    held = make_set(random.Random(7), 400, HELD_TEMPLATES + TEMPLATES, held_pools, NO_ENTITY, lower_p=0.0)
    seen_eval = make_set(random.Random(8), 400, TEMPLATES, (FIRST, LAST, locs, STREETS, ORGS), NO_ENTITY)

    entity_words = set()
    for name in FIRST + LAST + CITIES + COUNTRIES + STREETS + ORGS:
        for w in bert_pretokenize(name):
            entity_words.add(w)
            entity_words.add(w.lower())
    template_text = [" ".join(w for w, l in zip(ws, ls) if l == "O") for ws, ls in train]
    all_text = [" ".join(ws) for ws, _ in train]
    common_words = set()
    for t in template_text:
        common_words.update(bert_pretokenize(t))
    # Only frequent words stay whole, so being split into pieces is not a cue for "entity".
    vocab = build_wordpiece_vocab(all_text, lowercase=False, min_word_freq=60,
                                  exclude_words=entity_words - common_words, n_pieces=700)
    tok = WordPiece(vocab, lowercase=False, max_len=MAX_POS)
    data = [encode(tok, w, l) for w, l in train]
    print(f"vocab={len(vocab)} train={len(data)} max_len={max(len(d[0]) for d in data)}", flush=True)

    model = TinyBert(len(vocab), D, LAYERS, HEADS, FF, MAX_POS, len(LABELS), pool="none", dropout=0.1)
    print(f"params={sum(p.numel() for p in model.parameters())}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    by_len = sorted(range(len(data)), key=lambda i: (len(data[i][0]), i))
    batches = [by_len[i:i + BATCH] for i in range(0, len(by_len), BATCH)]
    total = EPOCHS * len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.05, 1 - s / total))
    t0 = time.time()
    step = 0
    for ep in range(EPOCHS):
        order = batches[:]
        rng.shuffle(order)
        for idx in order:
            L = max(len(data[i][0]) for i in idx)
            x = torch.zeros(len(idx), L, dtype=torch.long)
            y = torch.full((len(idx), L), -100, dtype=torch.long)
            m = torch.zeros(len(idx), L, dtype=torch.long)
            for r, i in enumerate(idx):
                ids, tags = data[i]
                x[r, :len(ids)] = torch.tensor(ids)
                y[r, :len(ids)] = torch.tensor(tags)
                m[r, :len(ids)] = 1
            logits = model(x, m, torch.zeros_like(x))
            loss = F.cross_entropy(logits.reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
        acc_s, f1_s = evaluate(model, tok, seen_eval)
        acc_h, f1_h = evaluate(model, tok, held)
        print(f"epoch {ep} loss {loss.item():.4f} seen acc {acc_s:.3f} f1 {f1_s:.3f} | held-out acc {acc_h:.3f} "
              f"f1 {f1_h:.3f} ({time.time() - t0:.0f}s)", flush=True)

    model.eval()
    export_bert(model, os.path.join(OUT, "onnx", "model.onnx"), len(vocab))
    write_json(os.path.join(OUT, "config.json"), bert_config(
        "BertForTokenClassification", len(vocab), D, LAYERS, HEADS, FF, MAX_POS,
        {"id2label": {str(i): l for i, l in enumerate(LABELS)}, "label2id": {l: i for i, l in enumerate(LABELS)}}))
    write_json_compact(os.path.join(OUT, "tokenizer.json"), tok.tokenizer_json())
    write_json(os.path.join(OUT, "tokenizer_config.json"), tok.tokenizer_config())
    sample = [" ".join(w) for w, _ in (train[:300] + held[:100])]
    write_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "ner_token_check.json"),
               [{"text": t, "ids": tok.encode(t)} for t in sample])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
