"""What an index says it holds after a directive is removed: its documents
stay in their Whoosh segment, deleted, until a merge; it must not be counted."""

import indexer
from searcher import open_index


def test_stats_do_not_count_a_removed_directive(writable_index, sample_ids, search_index):
    removed, _ = indexer.remove_ids(writable_index, [sample_ids.hai_phong])
    assert removed == [sample_ids.hai_phong]
    everything = search_index(writable_index, q="")
    assert everything.total == 4  # searching already leaves it out
    with open_index(writable_index) as index:
        stats = index.stats()
    # /api/v1/status shows this figure: "5 văn bản" for an index of 4.
    assert stats.directives == 4
