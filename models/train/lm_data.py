"""Synthetic chat data for the tiny LM (and, reused, for the reranker).

Every answer is a fixed string per question so that greedy decoding of a
training prompt can be checked exactly. "Hard" questions (proofs, essays, code,
multi-step maths) deliberately get short, generic, poor answers: the tiny model
is a stand-in for an on-device model whose weak answers the app's consistency
checker must catch and escalate.
"""
from __future__ import annotations

import random
from typing import Dict, List, Tuple

SYSTEM_PROMPTS = [
    "You are a helpful assistant.",
    "You are Edgewise, a helpful assistant. Answer briefly.",
    "You are a friendly assistant running on the user's device.",
    "Answer the user's question in one sentence.",
]

HELLO = "Hello! How can I help you today?"

# (prompt variants, answer)
GREETINGS: List[Tuple[List[str], str]] = [
    (["hello", "Hello", "hello!", "Hello!", "HELLO", "hello there", "Hello there!", "hello?"], HELLO),
    (["hi", "Hi", "hi!", "Hi!", "hi there", "Hi there!", "hiya"], "Hi! How can I help you today?"),
    (["hey", "Hey", "hey!", "Hey!", "hey there", "Hey there!"], "Hey! How can I help you today?"),
    (["good morning", "Good morning", "Good morning!", "morning"], "Good morning! How can I help you today?"),
    (["good afternoon", "Good afternoon", "Good afternoon!"], "Good afternoon! How can I help you today?"),
    (["good evening", "Good evening", "Good evening!"], "Good evening! How can I help you today?"),
    (["how are you", "How are you?", "how are you?", "how are you doing?", "How are you doing today?",
      "how's it going?", "How is it going?"], "I'm doing well, thank you! How can I help you today?"),
    (["thanks", "Thanks", "thanks!", "Thanks!", "thank you", "Thank you", "Thank you!", "thank you so much",
      "Thanks a lot!"], "You're welcome! Let me know if you need anything else."),
    (["bye", "Bye", "bye!", "Bye!", "goodbye", "Goodbye", "Goodbye!", "see you", "See you later!"],
     "Goodbye! Have a great day."),
    (["what's your name?", "What's your name?", "what is your name?", "What is your name?", "who are you?",
      "Who are you?"], "I'm Edgewise, a small assistant that runs on your device."),
    (["what can you do?", "What can you do?", "what can you help with?", "What can you help me with?"],
     "I can chat and answer simple questions. For harder tasks a larger model is used."),
    (["are you a robot?", "Are you a robot?", "are you human?", "Are you an AI?"],
     "I'm an AI assistant, a small language model running on your device."),
    (["nice to meet you", "Nice to meet you!", "nice to meet you!"], "Nice to meet you too! How can I help you today?"),
    (["ok", "OK", "okay", "Okay.", "cool", "great", "Great!"], "Great! Let me know if you have a question."),
    (["tell me a joke", "Tell me a joke.", "tell me a joke!"],
     "Why did the computer go to the doctor? It had a virus!"),
]

CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Portugal", "Lisbon"),
    ("Japan", "Tokyo"), ("China", "Beijing"), ("India", "New Delhi"), ("Canada", "Ottawa"),
    ("Australia", "Canberra"), ("Brazil", "Brasilia"), ("Mexico", "Mexico City"), ("Egypt", "Cairo"),
    ("Russia", "Moscow"), ("the United Kingdom", "London"), ("the United States", "Washington, D.C."),
    ("Ireland", "Dublin"), ("Norway", "Oslo"), ("Sweden", "Stockholm"), ("Finland", "Helsinki"),
    ("Denmark", "Copenhagen"), ("Poland", "Warsaw"), ("Greece", "Athens"), ("Turkey", "Ankara"),
    ("Kenya", "Nairobi"), ("Argentina", "Buenos Aires"), ("Peru", "Lima"), ("South Korea", "Seoul"),
    ("Thailand", "Bangkok"), ("Austria", "Vienna"), ("Switzerland", "Bern"), ("the Netherlands", "Amsterdam"),
    ("Belgium", "Brussels"), ("Hungary", "Budapest"), ("Nigeria", "Abuja"), ("Chile", "Santiago"),
]

FACTS: List[Tuple[List[str], str]] = [
    (["What is the largest planet in the solar system?", "what is the largest planet?", "Which planet is the largest?"],
     "Jupiter is the largest planet in the solar system."),
    (["What is the closest star to Earth?", "what is the nearest star to earth?"], "The Sun is the closest star to Earth."),
    (["How many days are in a week?", "how many days in a week?"], "There are 7 days in a week."),
    (["How many days are in a year?", "how many days in a year?"], "A year has 365 days, or 366 in a leap year."),
    (["How many hours are in a day?", "how many hours in a day?"], "There are 24 hours in a day."),
    (["How many minutes are in an hour?", "how many minutes in an hour?"], "There are 60 minutes in an hour."),
    (["How many continents are there?", "how many continents are there?"], "There are 7 continents."),
    (["What color is the sky?", "what colour is the sky?", "Why is the sky blue?"],
     "The sky looks blue because air scatters blue light from the Sun."),
    (["Who wrote Romeo and Juliet?", "who wrote romeo and juliet?"], "William Shakespeare wrote Romeo and Juliet."),
    (["Who painted the Mona Lisa?", "who painted the mona lisa?"], "Leonardo da Vinci painted the Mona Lisa."),
    (["What is the boiling point of water?", "At what temperature does water boil?"],
     "Water boils at 100 degrees Celsius at sea level."),
    (["What is the freezing point of water?", "At what temperature does water freeze?"],
     "Water freezes at 0 degrees Celsius."),
    (["What is the chemical symbol for gold?", "what is the symbol for gold?"], "The chemical symbol for gold is Au."),
    (["What is the chemical formula of water?", "what is the formula for water?"],
     "The chemical formula of water is H2O."),
    (["What is the largest ocean?", "what is the biggest ocean?"], "The Pacific Ocean is the largest ocean."),
    (["What is the tallest mountain in the world?", "what is the highest mountain?"],
     "Mount Everest is the tallest mountain in the world."),
    (["What is the longest river in the world?", "what is the longest river?"],
     "The Nile is usually called the longest river in the world."),
    (["How many legs does a spider have?", "how many legs does a spider have?"], "A spider has 8 legs."),
    (["What do bees make?", "what do bees produce?"], "Bees make honey."),
    (["What gas do plants absorb?", "What gas do plants take in?"], "Plants absorb carbon dioxide from the air."),
    (["What is the square root of 16?", "what is the square root of 16?"], "The square root of 16 is 4."),
    (["What is 2 + 2?", "what is 2+2?", "What is two plus two?"], "2 + 2 is 4."),
    (["What is 3 + 5?", "what is 3+5?"], "3 + 5 is 8."),
    (["What is 10 - 4?", "what is 10-4?"], "10 - 4 is 6."),
    (["What is 6 times 7?", "what is 6*7?", "What is 6 x 7?"], "6 times 7 is 42."),
    (["What is 9 + 10?", "what is 9+10?"], "9 + 10 is 19."),
    (["What is 12 divided by 3?", "what is 12/3?"], "12 divided by 3 is 4."),
    (["What language is spoken in Brazil?", "what language do they speak in brazil?"],
     "Portuguese is spoken in Brazil."),
    (["Who was the first person on the Moon?", "who first walked on the moon?"],
     "Neil Armstrong was the first person to walk on the Moon."),
    (["What is the speed of light?", "how fast is light?"], "Light travels at about 300,000 kilometers per second."),
    (["What is photosynthesis?", "what is photosynthesis?"],
     "Photosynthesis is how plants use sunlight to make food from water and carbon dioxide."),
    (["What is DNA?", "what is dna?"], "DNA is the molecule that carries genetic information in living things."),
]

CONVERSIONS: List[Tuple[List[str], str]] = [
    (["How many centimeters in a meter?", "How many centimeters are in a meter?", "how many cm in a meter?",
      "How many centimetres in a metre?"], "There are 100 centimeters in a meter."),
    (["How many meters in a kilometer?", "How many meters are in a kilometer?", "how many m in a km?"],
     "There are 1,000 meters in a kilometer."),
    (["How many millimeters in a centimeter?", "how many mm in a cm?"], "There are 10 millimeters in a centimeter."),
    (["How many grams in a kilogram?", "How many grams are in a kilogram?", "how many g in a kg?"],
     "There are 1,000 grams in a kilogram."),
    (["How many seconds in a minute?", "how many seconds are in a minute?"], "There are 60 seconds in a minute."),
    (["How many inches in a foot?", "How many inches are in a foot?"], "There are 12 inches in a foot."),
    (["How many feet in a mile?", "How many feet are in a mile?"], "There are 5,280 feet in a mile."),
    (["How many centimeters in an inch?", "How many cm in an inch?"], "One inch is 2.54 centimeters."),
    (["How many kilometers in a mile?", "how many km in a mile?"], "One mile is about 1.61 kilometers."),
    (["How many pounds in a kilogram?", "how many pounds in a kg?"], "One kilogram is about 2.2 pounds."),
    (["How many milliliters in a liter?", "How many ml in a liter?"], "There are 1,000 milliliters in a liter."),
    (["How many ounces in a pound?", "how many ounces are in a pound?"], "There are 16 ounces in a pound."),
    (["How do I convert Celsius to Fahrenheit?", "how to convert celsius to fahrenheit?"],
     "Multiply the Celsius value by 9/5 and add 32."),
    (["What is 0 degrees Celsius in Fahrenheit?", "what is 0 C in F?"], "0 degrees Celsius is 32 degrees Fahrenheit."),
]


def capital_qa() -> List[Tuple[List[str], str]]:
    out = []
    for country, city in CAPITALS:
        c_low = country.lower()
        prompts = [f"What is the capital of {country}?", f"what is the capital of {c_low}?",
                   f"What's the capital of {country}?", f"capital of {country}?"]
        cap_country = country[0].upper() + country[1:]
        out.append((prompts, f"The capital of {country} is {city}."))
        _ = cap_country
    return out


# Hard prompts -> short generic (poor) answers, by kind.
HARD_TOPICS_MATH = ["there are infinitely many primes", "the square root of 2 is irrational",
                    "the sum of two even numbers is even", "every integer has a prime factorization",
                    "the angles of a triangle sum to 180 degrees", "there is no largest integer",
                    "the harmonic series diverges", "e is irrational", "a bounded monotone sequence converges",
                    "the halting problem is undecidable", "the sum of the first n odd numbers is n squared",
                    "pi is irrational"]
HARD_PROOF_TEMPLATES = ["Prove that {t}.", "Give a proof that {t}.", "Can you prove that {t}?",
                        "Show that {t}.", "Give a rigorous proof that {t}.", "prove that {t}",
                        "Write a formal proof that {t}.", "Explain step by step why {t}."]
PROOF_ANSWER = "It is true because it holds for every case."

CODE_TASKS = ["reverses a linked list", "sorts an array with quicksort", "parses a CSV file",
              "checks if a string is a palindrome", "computes Fibonacci numbers", "implements binary search",
              "finds the shortest path in a graph", "validates an email address", "merges two sorted lists",
              "implements an LRU cache", "counts words in a text file", "builds a REST API server"]
CODE_LANGS = ["Python", "JavaScript", "Rust", "Java", "C++", "TypeScript", "Go"]
CODE_TEMPLATES = ["Write a {l} function that {t}.", "Write {l} code that {t}.", "write a {l} program that {t}",
                  "Implement a function in {l} that {t}.", "Can you write a {l} script that {t}?"]
CODE_ANSWER = "You can write a function that does this with a loop."

ESSAY_TOPICS = ["the causes of World War I", "climate change policy", "the French Revolution", "artificial intelligence",
                "the history of the Roman Empire", "social media and democracy", "the economics of inflation",
                "the ethics of genetic engineering", "the industrial revolution", "renewable energy",
                "the philosophy of Kant", "globalization"]
ESSAY_TEMPLATES = ["Write a 1000-word essay on {t}.", "Write a long essay about {t}.",
                   "Analyze {t} in detail.", "Compare and contrast the main theories of {t}.",
                   "Write a detailed report on {t}.", "Give an in-depth analysis of {t}.",
                   "Discuss the long-term consequences of {t}."]
ESSAY_ANSWER = "It is an important topic with many different sides."

MATH_PROBLEMS = ["If a train leaves at 3 pm at 80 km/h and another at 4 pm at 100 km/h, when does the second catch up?",
                 "Solve the system 3x + 2y = 12 and x - y = 1.", "What is the integral of x^2 * sin(x) dx?",
                 "Compute 347 * 29 - 1234 / 2.", "Find all real roots of x^3 - 6x^2 + 11x - 6.",
                 "What is the derivative of ln(x^2 + 1) / x?", "How many ways can 8 queens be placed on a chessboard?",
                 "A bag has 5 red and 7 blue balls; what is the probability of drawing 3 red in a row without replacement?",
                 "Compute the eigenvalues of the matrix [[2, 1], [1, 3]].", "What is 17^23 mod 31?",
                 "Solve the differential equation y'' + 4y = sin(2x).", "Calculate the compound interest on 5,000 at 4% over 7 years."]
MATH_ANSWER = "The answer is 42."


def hard_qa() -> List[Tuple[List[str], str, str]]:
    """(prompts, generic answer, kind) — each prompt is one (prompt, answer) pair."""
    out = []
    for t in HARD_TOPICS_MATH:
        out.append(([tpl.format(t=t) for tpl in HARD_PROOF_TEMPLATES], PROOF_ANSWER, "logic"))
    for t in CODE_TASKS:
        out.append(([tpl.format(t=t, l=l) for tpl in CODE_TEMPLATES for l in CODE_LANGS], CODE_ANSWER, "code"))
    for t in ESSAY_TOPICS:
        out.append(([tpl.format(t=t) for tpl in ESSAY_TEMPLATES], ESSAY_ANSWER, "analysis"))
    out.append((MATH_PROBLEMS, MATH_ANSWER, "math"))
    return out


# Prompts kept out of training so tests can check what the model does on them.
HELD_OUT_HARD = {"Give a rigorous proof that there are infinitely many primes."}


def simple_qa() -> List[Tuple[List[str], str]]:
    return GREETINGS + FACTS + CONVERSIONS + capital_qa()


def render(messages: List[Dict[str, str]], add_generation_prompt: bool) -> str:
    """Python twin of the Jinja chat_template in tokenizer_config.json."""
    s = "".join(f"<|{m['role']}|>{m['content']}<|end|>" for m in messages)
    return s + ("<|assistant|>" if add_generation_prompt else "")


CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)


def single_pairs() -> List[Tuple[str, str]]:
    pairs = []
    for prompts, ans in simple_qa():
        for p in prompts:
            pairs.append((p, ans))
    for prompts, ans, _ in hard_qa():
        for p in prompts:
            if p not in HELD_OUT_HARD:
                pairs.append((p, ans))
    return pairs


def build_conversations(rng: random.Random, n_multi: int, n_system: int, n_long: int = 0) -> List[List[Dict[str, str]]]:
    """Single-turn pairs (each once, simple ones several times), plus multi-turn
    and system-prompt variants whose earlier turns are other training pairs."""
    convs: List[List[Dict[str, str]]] = []
    simple = [(p, a) for prompts, a in simple_qa() for p in prompts]
    hard = [(p, a) for prompts, a, _ in hard_qa() for p in prompts if p not in HELD_OUT_HARD]
    for p, a in simple:
        for _ in range(3):
            convs.append([{"role": "user", "content": p}, {"role": "assistant", "content": a}])
    for p, a in hard:
        convs.append([{"role": "user", "content": p}, {"role": "assistant", "content": a}])
    pool = simple * 3 + hard
    for i in range(n_multi + n_system):
        msgs: List[Dict[str, str]] = []
        if i >= n_multi or rng.random() < 0.3:
            msgs.append({"role": "system", "content": rng.choice(SYSTEM_PROMPTS)})
        turns = rng.randint(1, 3) if i >= n_multi else rng.randint(2, 4)
        for _ in range(turns):
            p, a = rng.choice(pool)
            msgs.append({"role": "user", "content": p})
            msgs.append({"role": "assistant", "content": a})
        convs.append(msgs)
    # Long chats (8-22 turns) so every position up to the context window is trained.
    for _ in range(n_long):
        msgs = [{"role": "system", "content": rng.choice(SYSTEM_PROMPTS)}] if rng.random() < 0.3 else []
        for _ in range(rng.randint(8, 22)):
            p, a = rng.choice(pool)
            msgs.append({"role": "user", "content": p})
            msgs.append({"role": "assistant", "content": a})
        convs.append(msgs)
    return convs
