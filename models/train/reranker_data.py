"""Synthetic (question, answer) pairs for the tiny consistency reranker.

Positives: the tiny LM's own correct answers to simple questions, and good
short answers to hard questions (proofs, code, analysis, maths).
Negatives: answers to other questions, generic/evasive answers, greetings to
real questions, wrong facts, and what the tiny LM actually says to hard
questions (read from build/lm_hard_answers.json written by train_lm.py).
"""
from __future__ import annotations

import random
from typing import List, Tuple

import lm_data

HARD_GOOD: List[Tuple[str, str]] = [
    ("Give a rigorous proof that there are infinitely many primes.",
     "Suppose there are finitely many primes p1, ..., pn. Let N = p1 * p2 * ... * pn + 1. N is not divisible by any pi, "
     "since dividing leaves remainder 1, so any prime factor of N is a prime not in the list. This contradicts the "
     "assumption, so there are infinitely many primes."),
    ("Prove that there are infinitely many primes.",
     "Assume the primes are finite: p1 to pn. The number p1 * ... * pn + 1 leaves remainder 1 when divided by each pi, "
     "so its prime factors are new primes. Contradiction, hence the primes are infinite."),
    ("Prove that the square root of 2 is irrational.",
     "Suppose sqrt(2) = a/b in lowest terms. Then a^2 = 2b^2, so a is even, a = 2k. Then 4k^2 = 2b^2, so b^2 = 2k^2 "
     "and b is even too. Both even contradicts lowest terms, so sqrt(2) is irrational."),
    ("Show that the sum of two even numbers is even.",
     "Let the numbers be 2a and 2b for integers a and b. Their sum is 2a + 2b = 2(a + b), which is a multiple of 2, "
     "so the sum is even."),
    ("Prove that the sum of the first n odd numbers is n squared.",
     "By induction. For n = 1 the sum is 1 = 1^2. If 1 + 3 + ... + (2n - 1) = n^2, adding the next odd number 2n + 1 "
     "gives n^2 + 2n + 1 = (n + 1)^2. So the formula holds for all n."),
    ("Prove that the harmonic series diverges.",
     "Group the terms: 1 + 1/2 + (1/3 + 1/4) + (1/5 + ... + 1/8) + ... Each group is at least 1/2, and there are "
     "infinitely many groups, so the partial sums grow without bound and the series diverges."),
    ("Show that there is no largest integer.",
     "Suppose n is the largest integer. Then n + 1 is also an integer and n + 1 > n, a contradiction. So no largest "
     "integer exists."),
    ("Explain step by step why the halting problem is undecidable.",
     "Assume a program H decides whether any program halts on an input. Build D that runs H on itself and does the "
     "opposite: loops if H says it halts, halts otherwise. Running D on D contradicts H's answer either way, so H "
     "cannot exist."),
    ("Write a Python function that reverses a linked list.",
     "def reverse(head):\n    prev = None\n    while head:\n        head.next, prev, head = prev, head, head.next\n"
     "    return prev\n\nIt walks the list once, pointing each node back to the previous one, in O(n) time."),
    ("Write a Python function that checks if a string is a palindrome.",
     "def is_palindrome(s):\n    t = ''.join(c.lower() for c in s if c.isalnum())\n    return t == t[::-1]\n\n"
     "It normalizes the string and compares it with its reverse."),
    ("Write a JavaScript function that computes Fibonacci numbers.",
     "function fib(n) {\n  let a = 0, b = 1;\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}\n\n"
     "It iterates n times keeping the last two values, so it runs in O(n)."),
    ("Implement a function in Python that implements binary search.",
     "def binary_search(xs, target):\n    lo, hi = 0, len(xs) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n"
     "        if xs[mid] == target: return mid\n        if xs[mid] < target: lo = mid + 1\n        else: hi = mid - 1\n"
     "    return -1"),
    ("Write a Rust function that merges two sorted lists.",
     "fn merge(a: &[i32], b: &[i32]) -> Vec<i32> {\n    let (mut i, mut j, mut out) = (0, 0, Vec::new());\n"
     "    while i < a.len() && j < b.len() {\n        if a[i] <= b[j] { out.push(a[i]); i += 1 } else { out.push(b[j]); j += 1 }\n"
     "    }\n    out.extend_from_slice(&a[i..]);\n    out.extend_from_slice(&b[j..]);\n    out\n}"),
    ("Write a TypeScript function that validates an email address.",
     "function isEmail(s: string): boolean {\n  return /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(s);\n}\n\n"
     "The pattern requires text before and after a single @ and a dot in the domain."),
    ("Analyze the causes of World War I in detail.",
     "Historians point to four long-term causes: militarism and the arms race, a rigid system of alliances, "
     "imperial rivalry over colonies, and nationalism in the Balkans. The assassination of Archduke Franz Ferdinand "
     "in Sarajevo in 1914 triggered mobilizations that the alliances turned into a general war."),
    ("Write a detailed report on climate change policy.",
     "Climate policy combines mitigation and adaptation. Mitigation tools include carbon pricing through taxes or "
     "emissions trading, standards for vehicles and buildings, and subsidies for renewable energy. Adaptation covers "
     "flood defenses and resilient farming. The Paris Agreement sets national targets that are reviewed every five years."),
    ("Give an in-depth analysis of the economics of inflation.",
     "Inflation is a sustained rise in the general price level. Demand-pull inflation comes from spending growing "
     "faster than output; cost-push inflation from rising input costs such as energy. Expectations matter because "
     "wages and prices are set ahead. Central banks respond by raising interest rates to cool demand."),
    ("Compare and contrast the main theories of artificial intelligence.",
     "Symbolic AI represents knowledge as explicit rules and logic, which is interpretable but brittle. Connectionist "
     "AI learns patterns from data with neural networks, which scales well but is harder to explain. Hybrid approaches "
     "combine learned perception with symbolic reasoning."),
    ("Discuss the long-term consequences of the industrial revolution.",
     "The industrial revolution moved work from farms to factories, drove rapid urbanization, and raised productivity "
     "and living standards over time. It also created harsh working conditions, which led to labor movements, and began "
     "the large-scale burning of fossil fuels behind today's climate change."),
    ("Solve the system 3x + 2y = 12 and x - y = 1.",
     "From the second equation x = y + 1. Substituting: 3(y + 1) + 2y = 12, so 5y = 9 and y = 1.8. Then x = 2.8."),
    ("Compute 347 * 29 - 1234 / 2.",
     "347 * 29 = 10063 and 1234 / 2 = 617, so the result is 10063 - 617 = 9446."),
    ("What is the derivative of ln(x^2 + 1) / x?",
     "By the quotient rule: d/dx = (2x/(x^2 + 1) * x - ln(x^2 + 1)) / x^2 = 2/(x^2 + 1) - ln(x^2 + 1)/x^2."),
    ("Find all real roots of x^3 - 6x^2 + 11x - 6.",
     "x = 1 is a root, and dividing gives x^2 - 5x + 6 = (x - 2)(x - 3). So the roots are 1, 2 and 3."),
    ("Calculate the compound interest on 5,000 at 4% over 7 years.",
     "The amount is 5000 * 1.04^7, about 6579.66, so the interest is about 1579.66."),
]

EVASIVE = [
    "I am not sure.", "I don't know.", "I'm not sure about that.", "Sorry, I can't help with that.",
    "That is a good question.", "It depends.", "Maybe.", "I cannot answer that right now.",
    "Let me think about it.", "Please ask someone else.", "Yes.", "No.", "OK.",
    lm_data.PROOF_ANSWER, lm_data.CODE_ANSWER, lm_data.ESSAY_ANSWER, lm_data.MATH_ANSWER,
]

# Hard prompts for which only the generic LM answer exists (negatives), beyond HARD_GOOD.
def hard_prompts(rng: random.Random, n: int) -> List[Tuple[str, str]]:
    out = []
    for prompts, ans, _ in lm_data.hard_qa():
        for p in prompts:
            out.append((p, ans))
    rng.shuffle(out)
    return out[:n]


def wrong_capital_pairs(rng: random.Random) -> List[Tuple[str, str]]:
    """Every country with many wrong capitals, in every prompt wording the LM knows."""
    out = []
    cities = [c for _, c in lm_data.CAPITALS]
    for (prompts, answer), (country, city) in zip(lm_data.capital_qa(), lm_data.CAPITALS):
        for p in prompts:
            for wrong in rng.sample([c for c in cities if c != city], 8):
                out.append((p, answer.replace(city, wrong)))
    return out
