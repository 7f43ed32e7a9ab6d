"""A deterministic, made-up questions table shaped like `build/questions.parquet`, for tests and
the translation benchmark. Not survey content: the sentences are generated from templates.

What matters for translation is reproduced: option scales shared by many questions (so option
labels repeat a great deal), batteries ("<stem>: <item>"), placeholders ("____",
"[INSERT COUNTRY]", "(survey country)"), numeric ladder options with no letters, and every
question text distinct.
"""

from __future__ import annotations

import random

import pandas as pd

SCALES = [
    ["Very favorable", "Somewhat favorable", "Somewhat unfavorable", "Very unfavorable"],
    ["Strongly agree", "Agree", "Disagree", "Strongly disagree"],
    ["Yes", "No"],
    ["A great deal", "Quite a lot", "Not very much", "None at all"],
    ["Very important", "Rather important", "Not very important", "Not at all important"],
    ["Good thing", "Bad thing"],
    ["Better", "Worse", "About the same"],
    ["Very satisfied", "Somewhat satisfied", "Somewhat dissatisfied", "Very dissatisfied"],
    ["Major threat", "Minor threat", "Not a threat"],
    [str(number) for number in range(1, 11)],  # a 1-10 ladder: copied, never sent
]
TOPICS = ["the economy", "the United Nations", "the European Union", "climate change", "the national government",
          "the police", "the courts", "religious leaders", "the press", "large companies", "trade unions",
          "the armed forces", "banks", "universities", "the internet", "immigrants", "your neighbours",
          "the health system", "political parties", "parliament"]
STEMS = ["How much confidence do you have in", "What is your opinion of", "Do you think the influence of",
         "How would you rate", "In your view, how well is the government handling"]
PLACEHOLDER_QUESTIONS = [
    "Do you think ____ is doing a good job?",
    "What is your opinion of [INSERT COUNTRY]?",
    "Is (survey country) going in the right direction?",
    "How much does (dominant country in region) influence your country?",
]


def synthetic_questions(count: int = 2500, seed: int = 7) -> pd.DataFrame:
    """`count` questions with the translation-relevant columns of the questions table."""
    generator = random.Random(seed)
    rows = []
    for number in range(count):
        kind = number % 10
        if kind == 0:
            question = PLACEHOLDER_QUESTIONS[(number // 10) % len(PLACEHOLDER_QUESTIONS)] + f" (item {number})"
        elif kind in (1, 2, 3):  # battery items share a stem
            stem = STEMS[(number // 10) % len(STEMS)]
            question = f"{stem}: {TOPICS[number % len(TOPICS)]} (item {number})"
        else:
            topic = generator.choice(TOPICS)
            question = f"Thinking about {topic}, would you say things have improved in the past year? (item {number})"
        options = list(SCALES[generator.randrange(len(SCALES))])
        rows.append({"question_id": f"synth.q{number:05d}", "question": question, "options": options})
    return pd.DataFrame(rows)
