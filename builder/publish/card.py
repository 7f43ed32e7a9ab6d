"""The dataset card (README.md of the repo): YAML front matter + the body from `dataset_card.md`.

The front matter is a dict dumped by yaml, never text pasted by a template, so it is always
valid; it declares the configs (data files per split, the default), their `dataset_info`
(features and split sizes, from features.py) and the Hub's metadata (licence, languages, ...).
The body is the Jinja2 template `dataset_card.md` at the project root.
`LICENSE.md` repeats the card's licence section, so `license_link` has a file to point at.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2
import langcodes
import yaml
from datasets import DatasetInfo, SplitDict, SplitInfo

from builder.errors import UsageError
from builder.publish import features as column_types
from builder.publish.configs import Config
from builder.publish.datafiles import DataFile, data_path
from builder.publish.inputs import Build

TEMPLATE_NAME = "dataset_card.md"
PRETTY_NAME = "Global Opinions (GlobalOpinionQA-style, rebuilt from survey microdata)"
LICENCE_HEADING = "## Licence and attribution"
LICENCE_FILE = "LICENSE.md"
PLACEHOLDER_REPO_ID = "ORG/NAME"
# The Hub's size buckets (upper bound, name), by row count of the default config (one row per question).
SIZE_CATEGORIES = [(10**3, "n<1K"), (10**4, "1K<n<10K"), (10**5, "10K<n<100K"), (10**6, "100K<n<1M"),
                   (10**7, "1M<n<10M"), (10**8, "10M<n<100M"), (10**9, "100M<n<1B"), (10**10, "1B<n<10B"),
                   (10**11, "10B<n<100B"), (10**12, "100B<n<1T")]


def find_template(project_root: Path) -> Path:
    """The project's own `dataset_card.md` if it has one, else the one beside this code."""
    for folder in (Path(project_root), Path(__file__).resolve().parents[2]):
        if (folder / TEMPLATE_NAME).is_file():
            return folder / TEMPLATE_NAME
    raise UsageError(f"no {TEMPLATE_NAME} card template in the project", file=project_root)


def size_category(rows: int) -> str:
    return next((name for limit, name in SIZE_CATEGORIES if rows < limit), "n>1T")


def dataset_info(config: Config, data_files: dict[str, DataFile]) -> dict:
    """The card's `dataset_info` entry of one config, in the layout `datasets` itself writes.

    `datasets` checks each split's num_examples when loading; num_bytes is the Arrow size in memory.
    """
    files = [data_files[data_path(config.name, split)] for split in config.splits]
    splits = SplitDict({file.split: SplitInfo(file.split, num_bytes=file.table.nbytes, num_examples=file.table.num_rows)
                        for file in files})
    info = DatasetInfo(features=config.features, splits=splits, download_size=sum(len(file.content) for file in files),
                       dataset_size=sum(file.table.nbytes for file in files))
    return {"config_name": config.name, **info._to_yaml_dict()}


def front_matter(build: Build, configs: list[Config], data_files: dict[str, DataFile]) -> dict:
    methods = {row["method"] for row in build.translations}
    languages = ["en", *dict.fromkeys(langcodes.Language.get(tag).language for tag in build.languages)]
    creators = ["found", *(["expert-generated"] if methods & {"official", "human"} else []),
                *(["machine-generated"] if "machine" in methods else [])]
    default_rows = next(config.rows for config in configs if config.default)
    return {
        "pretty_name": PRETTY_NAME + (" (SYNTHETIC sample)" if build.synthetic else ""),
        "license": "other",
        "license_name": "pew-and-wvs-terms-of-use",
        "license_link": LICENCE_FILE,
        "language": languages,
        "multilinguality": "translation" if build.translations else "monolingual",
        "language_creators": creators,
        "annotations_creators": ["found"],
        "source_datasets": ["original"],
        "size_categories": [size_category(default_rows)],
        "task_categories": ["question-answering", "multiple-choice"],
        "tags": ["survey", "public-opinion", "pew-research-center", "world-values-survey", "globalopinionqa",
                 *(["synthetic"] if build.synthetic else [])],
        "configs": [
            {"config_name": config.name,
             **({"default": True} if config.default else {}),
             "data_files": [{"split": split, "path": data_path(config.name, split)} for split in config.splits]}
            for config in configs
        ],
        "dataset_info": [dataset_info(config, data_files) for config in configs],
    }


def _columns(features) -> list[dict]:
    return [{"name": name, "type": column_types.type_name(feature), "description": column_types.DESCRIPTIONS[name]}
            for name, feature in features.items()]


def template_context(build: Build, configs: list[Config], record: dict, repo_id: str | None) -> dict:
    methods_by_language: dict[str, Counter] = {}
    for row in build.translations:
        methods_by_language.setdefault(row["language"], Counter())[row["method"]] += 1
    return {
        "pretty_name": PRETTY_NAME,
        "version": record["version"],
        "tag": record["tag"],
        "build_id": record["build_id"],
        "builder_version": record["builder_version"],
        "synthetic": build.synthetic,
        "repo_id": repo_id or PLACEHOLDER_REPO_ID,
        "configs": [{"name": config.name, "description": config.description, "default": config.default,
                     "rows": config.rows, "splits": {split: len(rows) for split, rows in config.splits.items()},
                     "columns": _columns(config.features), "nested": "selections" in config.features}
                    for config in configs],
        "split_names": sorted({split for config in configs for split in config.splits}),
        "selection_columns": _columns(column_types.SELECTION),
        "questions": len(build.questions),
        "countries": len(record["countries"]),
        "languages": [{"tag": tag, "rows": sum(counts.values()), "methods": counts}
                      for tag, counts in sorted(methods_by_language.items())],
        "changelog": record["changelog"],
        "previous_version": record["previous_version"],
        "sources": sorted(build.sources, key=lambda source: source["path"]),
    }


def render_card(template: Path, build: Build, configs: list[Config], record: dict, data_files: dict[str, DataFile],
                repo_id: str | None) -> str:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True, autoescape=False)
    # Lists written inline: a loop at the end of a line would eat its newline (trim_blocks).
    environment.filters["codes"] = lambda items: ", ".join(f"`{item}`" for item in items)
    environment.filters["countries"] = lambda names: ", ".join(f"{code} ({name})" for code, name in names.items())
    try:
        body = environment.from_string(Path(template).read_text(encoding="utf-8"))
        text = body.render(template_context(build, configs, record, repo_id))
    except (OSError, jinja2.TemplateError) as error:
        raise UsageError(f"cannot render the card template ({type(error).__name__}: {error})", file=template) from None
    metadata = yaml.safe_dump(front_matter(build, configs, data_files), sort_keys=False, allow_unicode=True, width=120)
    return f"---\n{metadata}---\n\n{text.strip()}\n"


def licence_text(card: str) -> str:
    """The card's licence section as a document of its own (LICENSE.md)."""
    start = card.find(LICENCE_HEADING)
    if start < 0:
        raise UsageError(f"the card template has no {LICENCE_HEADING!r} section", file=TEMPLATE_NAME)
    section = card[start + len("## "):]
    end = section.find("\n## ")
    return "# " + (section[:end] if end >= 0 else section).strip() + "\n"
