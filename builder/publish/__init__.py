"""Versioned releases of the dataset to the Hugging Face Hub or a local folder (`builder push`); see docs/publishing.md.

Modules, in the order data flows through them:

- `inputs`: the validated build tables, as rows
- `features`, `configs`: the published configs (en, one per language, long), their typed columns and rows
- `datafiles`: Parquet files with pinned writer options
- `release`, `card`, `repo`: release.json (record and changelog), the dataset card, all files of a release
- `versions`, `plan`, `push`: version rules, the diff against a target, the release flow
- `hub`, `local`: the two targets (a Hub dataset repo, a folder)
- `commands`: the `builder push` command
"""
