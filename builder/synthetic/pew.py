"""A synthetic Pew Global Attitudes wave (`.sav`, windows-1252) with the real files' traps.

Traps: a `Country` variable whose codes are wave-specific (only the labels are stable), one of
them a latin-1 label; sample frames in labels; an upper-case `WEIGHT` with oversample rows that
have no weight; every DK/Refused label variant; a long list where 8 and 9 are real answers and
98/99 are declared SPSS user-missing; a battery; country-specific variables with bilingual
labels; a follow-up asked only after one answer (system-missing otherwise); placeholders; a
truncated variable label; an item whose non-substantive codes only the file's labels explain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from builder.synthetic.common import ItemSpec, Sample, draw_item

SEED = 20230601

# Wave-specific country codes, as Pew renumbers them; labels as Pew spells them.
COUNTRIES = {
    4: "Mexico",
    7: "S. Korea",
    12: "Britain",
    15: "Angola (Non-national sample)",
    18: "India (Old national sample)",
    19: "India (Current national sample)",
    23: "Côte d’Ivoire",
    26: "Indonesia",
}
OVERSAMPLE_ROWS = {"India (Current national sample)": 15, "Britain": 5}

FAVORABILITY = {1: "Very favorable", 2: "Somewhat favorable", 3: "Somewhat unfavorable", 4: "Very unfavorable"}
CONFIDENCE = {1: "A lot of confidence", 2: "Some confidence", 3: "Not too much confidence", 4: "No confidence at all"}
CONFIDENCE_STEM = "How much confidence do you have in each of the following to do the right thing regarding world affairs..."

ITEMS = [
    ItemSpec(
        variable="Q1",
        question="Now thinking about (survey country), overall, are you satisfied or dissatisfied with the way things are going in our country today?",
        file_label="Q1. Now thinking about (survey country), overall, are you satisfied or dissatisfied with the way things are going in our c",
        options={1: "Satisfied", 2: "Dissatisfied"},
        non_substantive={8: "Don't know (DO NOT READ)", 9: "Refused (DO NOT READ)"},
    ),
    ItemSpec(
        variable="Q2",
        question="Is that mostly because of the economy, or mostly because of politics?",
        file_label="Q2. ASK IF SATISFIED (Q1=1): Is that mostly because of the economy, or mostly because of politics?",
        options={1: "Mostly the economy", 2: "Mostly politics", 3: "Both equally (VOL)"},
        non_substantive={8: "DK", 9: "REF"},
        flags=["depends_on_previous"],
    ),
    ItemSpec(
        variable="fav_us",
        question="Please tell me if you have a very favorable, somewhat favorable, somewhat unfavorable or very unfavorable opinion of the United States.",
        options=FAVORABILITY,
        ordinal=[1, 2, 3, 4],
        non_substantive={8: "Don’t know", 9: "Refused"},
    ),
    ItemSpec(
        variable="fav_china",
        question="Please tell me if you have a very favorable, somewhat favorable, somewhat unfavorable or very unfavorable opinion of China.",
        # Scale order, not code order: the volunteered middle answer sits between 2 and 3.
        options={1: "Very favorable", 2: "Somewhat favorable", 5: "Neither favorable nor unfavorable (VOL)", 3: "Somewhat unfavorable", 4: "Very unfavorable"},
        ordinal=[1, 2, 2.5, 3, 4],
        non_substantive={8: "DK/Refused"},
    ),
    ItemSpec(
        variable="CONF_A",
        stem=CONFIDENCE_STEM,
        question="the U.S. president",
        file_label="Q12A. How much confidence do you have in... the U.S. president",
        options=CONFIDENCE,
        ordinal=[1, 2, 3, 4],
        non_substantive={8: "Don't know (VOL)", 9: "Refused (VOL)"},
    ),
    ItemSpec(
        variable="CONF_B",
        stem=CONFIDENCE_STEM,
        question="the UN secretary-general",
        file_label="Q12B. How much confidence do you have in... the UN secretary-general",
        options=CONFIDENCE,
        ordinal=[1, 2, 3, 4],
        non_substantive={8: "Don't know (VOL)", 9: "Refused (VOL)"},
    ),
    ItemSpec(
        variable="religion",
        question="What is your present religion, if any?",
        options={
            1: "Christian", 2: "Muslim", 3: "Hindu", 4: "Buddhist", 5: "Jewish", 6: "Sikh",
            7: "Other religion", 8: "No religion, not a believer, atheist, agnostic", 9: "Jehovah's Witness (VOL)",
        },
        non_substantive={98: "Don't know (DO NOT READ)", 99: "Refused (DO NOT READ)"},
    ),
    ItemSpec(
        variable="ladder",
        question="Here is a ladder representing the ladder of life. Let's suppose the top of the ladder represents the best possible life for you; and the bottom, the worst possible life for you. On which step of the ladder do you feel you personally stand at the present time?",
        options={0: "0 Worst possible life", **{step: str(step) for step in range(1, 10)}, 10: "10 Best possible life"},
        ordinal=list(range(0, 11)),
        non_substantive={98: "DK", 99: "REF"},
        in_catalog_non_substantive=False,
    ),
    ItemSpec(
        variable="Q84MEX",
        question="Do you have a favorable or unfavorable opinion of the Institutional Revolutionary Party (PRI)?",
        options={1: "Favorable", 2: "Unfavorable"},
        non_substantive={8: "No sabe (Don’t know)", 9: "No responde (Refused)"},
        countries=["MEX"],
    ),
    ItemSpec(
        variable="Q84IDN",
        question="Do you have a favorable or unfavorable opinion of the Golkar party?",
        options={1: "Favorable", 2: "Unfavorable"},
        non_substantive={8: "Tidak tahu (Don’t know)", 9: "Menolak (Refused)"},
        countries=["IDN"],
    ),
    ItemSpec(
        variable="threat_example",
        question="Some people say that [INSERT COUNTRY-SPECIFIC EXAMPLE] is a major threat to our country. Do you agree or disagree?",
        options={1: "Agree", 2: "Disagree"},
        non_substantive={8: "Don’t know (DO NOT READ)", 9: "Refused (DO NOT READ)"},
    ),
]
USER_MISSING = {"religion": [98, 99]}
COUNTRY_ISO = {"Mexico": "MEX", "Indonesia": "IDN"}


def pew_sample(seed: int = SEED) -> Sample:
    rng = np.random.default_rng(seed)
    frames = []
    for code, label in COUNTRIES.items():
        size = 90 + int(rng.random() * 50)
        extra = OVERSAMPLE_ROWS.get(label, 0)
        skew = 0.2 + rng.random()
        frame = pd.DataFrame({"Country": np.full(size + extra, float(code))})
        weights = 0.4 + 1.2 * rng.random(size + extra)
        weights = np.round(weights / weights[:size].mean(), 6)  # mean 1 within the country
        weights[size:] = np.nan  # oversample rows: no weight
        frame["WEIGHT"] = weights
        for item in ITEMS:
            values = draw_item(rng, item, size + extra, skew)
            if item.countries and COUNTRY_ISO.get(label) not in item.countries:
                values[:] = np.nan  # country-specific variable: empty everywhere else
            frame[item.variable] = values
        frame.loc[frame["Q1"] != 1, "Q2"] = np.nan  # follow-up asked only if satisfied
        frames.append(frame)
    responses = pd.concat(frames, ignore_index=True)
    return Sample(responses, ITEMS, "Country", "WEIGHT", dict(COUNTRIES), user_missing=USER_MISSING)
