"""sitroom.ingest: read files, folders, feeds, JSON dumps and crawls into documents.

``read_inputs`` yields an ``Incoming`` (a ``Document`` ready for the pipeline) or a
``Skipped`` (an input that gave none, with its reason) for everything it is given.
``NearDuplicateIndex`` links republished copies of a story to their original.
"""

from sitroom.ingest.dedup import NearDuplicateIndex
from sitroom.ingest.jsondocs import check_field_map
from sitroom.ingest.readers import MAX_FILE_BYTES, read_file, read_inputs
from sitroom.ingest.records import Incoming, Skipped

__all__ = ["MAX_FILE_BYTES", "Incoming", "NearDuplicateIndex", "Skipped", "check_field_map", "read_file",
           "read_inputs"]
