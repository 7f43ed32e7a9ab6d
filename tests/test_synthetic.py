"""The bundled sample is exactly what the generator makes, and the manifest pins it."""

from pathlib import Path

import yaml

from builder.files import sha256_file
from builder.synthetic.__main__ import write_all

REPO = Path(__file__).resolve().parents[1]


def test_generator_reproduces_the_bundled_sample_byte_for_byte(tmp_path):
    written = write_all(tmp_path)
    for name, digest in written.items():
        assert digest == sha256_file(REPO / "raw" / name), f"raw/{name} differs from the generator's output"


def test_manifest_pins_the_bundled_sample_and_labels_it_synthetic():
    manifest = yaml.safe_load((REPO / "raw" / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"].startswith("sample/"):
            assert entry["synthetic"] is True
            assert entry["sha256"] == sha256_file(REPO / "raw" / entry["path"])


def test_sample_files_say_they_are_synthetic():
    import pyreadstat

    _, meta = pyreadstat.read_sav(REPO / "raw" / "sample" / "pew_gas_synthetic.sav", metadataonly=True)
    assert "SYNTHETIC" in meta.file_label
    assert any("SYNTHETIC DATA" in note for note in meta.notes)
    for catalog in (REPO / "raw" / "catalogs").glob("*_synthetic.yaml"):
        assert catalog.read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
