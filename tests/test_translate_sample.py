"""The bundled sample translates offline from its curated file, reproducibly."""

import shutil

import pandas as pd

from builder.translate.table import source_sha256


def test_sample_translates_offline_and_identically_from_a_fresh_memory(project, builder_cli):
    assert builder_cli("ingest").exit_code == 0
    result = builder_cli("translate", "--offline")
    assert result.exit_code == 0, result.output
    first = (project / "build" / "translations.parquet").read_bytes()
    table = pd.read_parquet(project / "build" / "translations.parquet")
    questions = pd.read_parquet(project / "build" / "questions.parquet").set_index("question_id")
    assert len(table) == len(questions) * 3
    assert set(table["language"]) == {"zh-Hans", "ru", "tr"}
    assert set(table["method"]) == {"human"} and table["provider"].isna().all()
    assert table["translated_at"].isna().all()  # curated rows carry no import time
    for row in table.itertuples():
        english = questions.loc[row.question_id]
        assert len(row.options) == len(english["options"])
        assert row.source_sha256 == source_sha256(english["question"], list(english["options"]))
    placeholders = table[table["question_id"] == "pew_gas_synthetic.threat_example"]
    assert placeholders["question"].str.contains("[INSERT COUNTRY-SPECIFIC EXAMPLE]", regex=False).all()
    assert builder_cli("validate").exit_code == 0

    shutil.rmtree(project / "cache")  # a fresh clone: no translation memory yet
    assert builder_cli("translate", "--offline").exit_code == 0
    assert (project / "build" / "translations.parquet").read_bytes() == first
