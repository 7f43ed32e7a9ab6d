"""The files of a release, made from a build: what the Hub repo (or the local folder) will hold.

    README.md                                  the dataset card (card.py)
    LICENSE.md                                 the card's licence section
    release.json                               the release record (release.py)
    data/<config>/<split>-00000-of-00001.parquet

The files are kept in memory as {path: bytes}: a release is a few megabytes, and both targets
(hub.py, local.py) and the plan (plan.py) work on the same dict.
"""

from __future__ import annotations

from pathlib import Path

from builder.publish.card import LICENCE_FILE, licence_text, render_card
from builder.publish.configs import make_configs
from builder.publish.datafiles import write_data_files
from builder.publish.inputs import Build
from builder.publish.release import RELEASE_FILE, record_json, release_record
from builder.publish.versions import Version

CARD_FILE = "README.md"
# The paths a release owns in a repo: only these are ever added, replaced or deleted; anything else
# (the Hub's .gitattributes, files added by hand) is left alone.
OWNED_FILES = (CARD_FILE, LICENCE_FILE, RELEASE_FILE)
OWNED_FOLDER = "data/"


def is_owned(path: str) -> bool:
    return path in OWNED_FILES or path.startswith(OWNED_FOLDER)


def release_files(build: Build, version: Version, template: Path, *, previous: dict | None = None,
                  previous_tag: str | None = None, repo_id: str | None = None) -> dict[str, bytes]:
    """Every file of the release, path -> bytes.

    `previous` is the record (release.json) of `previous_tag`, the release this one follows; it
    feeds the changelog. `repo_id` only appears in the card's usage examples.
    """
    configs = make_configs(build)
    data_files = write_data_files(configs)
    record = release_record(build, configs, version, data_files, previous, previous_tag)
    card = render_card(template, build, configs, record, data_files, repo_id)
    return {
        CARD_FILE: card.encode("utf-8"),
        LICENCE_FILE: licence_text(card).encode("utf-8"),
        RELEASE_FILE: record_json(record),
        **{path: data_file.content for path, data_file in data_files.items()},
    }
