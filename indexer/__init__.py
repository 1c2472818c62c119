"""The search index of directives: build it, update it, open it.

Functions take the index directory as an argument; only the CLI and the web
app know defaults.

    build_index("corpus/samples", "var/index"); generation = open_index("var/index")
"""

from indexer.build import (BuildReport, Generation, add_files, build_index, index_stats, open_index,
                           remove_ids)
from indexer.layout import (IndexDamaged, IndexIncompatible, IndexLocked, IndexMissing, IndexProblem,
                            current_generation, generations, rebuild_hint)

__all__ = [
    "BuildReport", "Generation", "IndexDamaged", "IndexIncompatible", "IndexLocked", "IndexMissing",
    "IndexProblem", "add_files", "build_index", "current_generation", "generations", "index_stats",
    "open_index", "rebuild_hint", "remove_ids",
]
