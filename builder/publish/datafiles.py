"""The Parquet files of a release: one per config and split, written with pinned options.

`data/<config>/<split>-00000-of-00001.parquet`, the layout the Hub's own tools use. A release is
a few megabytes, so one file per split; the `-00000-of-00001` suffix leaves room for shards.

Equal rows give equal bytes: the schema comes from the config's Features (with the `datasets`
features in its metadata, and no pandas metadata), the writer options are fixed here, and no
value comes from the clock. The bytes may differ under another pyarrow version; equal content is
then still recognised by the release's content hashes (release.py), not by these bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from builder.publish.configs import Config

PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "row_group_size": 100_000,
    # Page boundaries chosen by content: a new version that changes a few rows shares most pages
    # with the old one, which the Hub's Xet storage deduplicates.
    "use_content_defined_chunking": True,
}


@dataclass(frozen=True)
class DataFile:
    config: str
    split: str
    table: pa.Table  # the rows as Arrow data; `table.nbytes` is the split's num_bytes in the card
    content: bytes  # the Parquet file

    @property
    def path(self) -> str:
        return data_path(self.config, self.split)


def data_path(config: str, split: str) -> str:
    return f"data/{config}/{split}-00000-of-00001.parquet"


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **PARQUET_OPTIONS)
    return buffer.getvalue()


def write_data_files(configs: list[Config]) -> dict[str, DataFile]:
    """path -> DataFile, for every config and split, in card order."""
    files = {}
    for config in configs:
        for split, rows in config.splits.items():
            table = pa.Table.from_pylist(rows, schema=config.features.arrow_schema)
            data_file = DataFile(config.name, split, table, parquet_bytes(table))
            files[data_file.path] = data_file
    return files
