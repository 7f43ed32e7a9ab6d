"""The quick start on the bundled sample: `builder ingest && builder validate` exit 0 and write
the tables the contract describes."""

import pyarrow.parquet as pq

from builder import tables


def test_ingest_then_validate_on_the_sample(project, builder_cli):
    result = builder_cli("ingest")
    assert result.exit_code == 0, result.output
    assert "wrote 18 questions, 115 distributions, 2 sources" in result.stdout
    assert "20 rows without weight dropped" in result.stdout
    result = builder_cli("validate")
    assert result.exit_code == 0, result.output
    for name, schema in tables.SCHEMAS.items():
        assert pq.read_schema(project / "build" / f"{name}.parquet").remove_metadata() == schema
    assert (project / "build" / "ingest_report.json").is_file()


def test_rebuild_gives_identical_tables_and_build_id(project, builder_cli):
    assert builder_cli("ingest").exit_code == 0
    first = {name: tables.read_table(project / "build", name) for name in ("questions", "distributions")}
    first_id = tables.build_id_of(project / "build" / "questions.parquet")
    assert builder_cli("ingest").exit_code == 0
    for name, frame in first.items():
        assert tables.read_table(project / "build", name).equals(frame)
    assert tables.build_id_of(project / "build" / "questions.parquet") == first_id


def test_help_lists_the_commands(builder_cli):
    result = builder_cli("--help")
    for command in ("ingest", "validate", "catalog"):
        assert command in result.stdout
