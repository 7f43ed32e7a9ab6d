"""A synthetic World Values Survey wave 7 file, as CSV (`;`, UTF-8 BOM, quoted header) and SPSS.

Traps: negative missing codes (-1 don't know, -2 no answer reported; -3/-4/-5 excluded), a
question where 0 is a real answer (Q289), scales whose codes are out of scale order (Q33_3,
Q56), a question not asked in one country (Q171 in Germany, all -4), Northern Ireland's
non-ISO code 909, and the key columns of the real file (B_COUNTRY, B_COUNTRY_ALPHA, A_YEAR,
D_INTERVIEW, W_WEIGHT, S018, PWGHT).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from builder.synthetic.common import ItemSpec, Sample, draw_item

SEED = 20220701

COUNTRIES = {32: "ARG", 158: "TWN", 276: "DEU", 410: "KOR", 826: "GBR", 909: "NIR"}
COUNTRY_NAMES = {32: "Argentina", 158: "Taiwan ROC", 276: "Germany", 410: "South Korea", 826: "Great Britain", 909: "Northern Ireland"}
NOT_ASKED_IN = {"Q171": 276}  # variable -> country where the question was not asked (-4)

MISSING = {-1: "Don't know", -2: "No answer"}
NOT_ASKED = {-3: "Not applicable", -4: "Not asked in survey", -5: "Missing; Not available"}
IMPORTANCE = {1: "Very important", 2: "Rather important", 3: "Not very important", 4: "Not at all important"}
IMPORTANCE_STEM = "For each of the following, indicate how important it is in your life. Would you say it is:"

ITEMS = [
    ItemSpec(variable="Q1", stem=IMPORTANCE_STEM, question="Family", file_label="Important in life: Family",
             options=IMPORTANCE, ordinal=[1, 2, 3, 4], non_substantive=MISSING),
    ItemSpec(variable="Q2", stem=IMPORTANCE_STEM, question="Friends", file_label="Important in life: Friends",
             options=IMPORTANCE, ordinal=[1, 2, 3, 4], non_substantive=MISSING),
    ItemSpec(
        variable="Q33_3",
        question="Do you agree, disagree or neither agree nor disagree with the following statement? When jobs are scarce, men should have more right to a job than women.",
        file_label="Jobs scarce: Men should have more right to a job than women (3-point scale)",
        options={1: "Agree", 3: "Neither", 2: "Disagree"},  # codes out of scale order
        ordinal=[1, 2, 3],
        non_substantive=MISSING,
    ),
    ItemSpec(
        variable="Q56",
        question="Comparing your standard of living with your parents' standard of living when they were about your age, would you say that you are better off, worse off or about the same?",
        file_label="Standard of living comparing with your parents",
        options={1: "Better off", 3: "About the same", 2: "Worse off"},
        ordinal=[1, 2, 3],
        non_substantive=MISSING,
    ),
    ItemSpec(
        variable="Q164",
        question="How important is God in your life? Please use this scale to indicate. 10 means very important and 1 means not at all important.",
        file_label="Importance of God",
        options={1: "Not at all important", **{step: str(step) for step in range(2, 10)}, 10: "Very important"},
        ordinal=list(range(1, 11)),
        non_substantive=MISSING,
    ),
    ItemSpec(
        variable="Q289",
        question="Do you belong to a religion or religious denomination? If yes, which one?",
        file_label="Religious denominations - major groups",
        # 0 is a real answer here, not a missing code.
        options={0: "Do not belong to a denomination", 1: "Roman Catholic", 2: "Protestant",
                 3: "Orthodox (Russian/Greek/etc.)", 5: "Muslim", 8: "Other"},
        non_substantive=MISSING,
    ),
    ItemSpec(
        variable="Q171",
        question="Apart from weddings and funerals, about how often do you attend religious services these days?",
        file_label="How often do you attend religious services",
        options={1: "More than once a week", 2: "Once a week", 3: "Once a month", 4: "Only on special holy days",
                 5: "Once a year", 6: "Less often", 7: "Never, practically never"},
        ordinal=[1, 2, 3, 4, 5, 6, 7],
        non_substantive=MISSING,
    ),
]
for _item in ITEMS:
    _item.not_asked_codes = dict(NOT_ASKED)
    _item.in_catalog_non_substantive = False  # the WVS adapter knows -1/-2 and -3/-4/-5


def wvs_sample(seed: int = SEED) -> Sample:
    rng = np.random.default_rng(seed)
    frames = []
    for code, alpha in COUNTRIES.items():
        size = 80 + int(rng.random() * 40)
        skew = 0.2 + rng.random()
        weights = 0.5 + rng.random(size)
        frame = pd.DataFrame({
            "B_COUNTRY": np.full(size, code, dtype=np.int64),
            "B_COUNTRY_ALPHA": alpha,
            "A_YEAR": 2018 + np.floor(rng.random(size) * 4).astype(np.int64),
            "D_INTERVIEW": code * 100000 + np.arange(1, size + 1, dtype=np.int64),
            "W_WEIGHT": np.round(weights / weights.mean(), 6),
            "S018": np.round(np.full(size, 1000.0 / size), 6),
            "PWGHT": np.round(np.full(size, 0.5 + rng.random()), 6),
        })
        for item in ITEMS:
            values = draw_item(rng, item, size, skew)
            # A few respondents coded not applicable (-3) or missing (-5): excluded from shares.
            excluded = rng.random(size) < 0.02
            values[excluded] = np.where(rng.random(int(excluded.sum())) < 0.5, -3.0, -5.0)
            if NOT_ASKED_IN.get(item.variable) == code:
                values[:] = -4.0
            frame[item.variable] = values.astype(np.int64)
        frames.append(frame)
    responses = pd.concat(frames, ignore_index=True)
    return Sample(responses, ITEMS, "B_COUNTRY", "W_WEIGHT", dict(COUNTRIES))
