"""At most as many searches evaluate at once as the server has turns for
(search_app/served.py): the others wait and are answered, none refused."""

import threading
import time

import pytest

from search_app import api, feeds, served, views


def _count_running(monkeypatch) -> dict:
    """Slows every search the views run by 0.2 s and records how many ran at once."""
    seen = {"running": 0, "most": 0}
    lock = threading.Lock()

    def wrap(real):
        def slow(snap, req):
            with lock:
                seen["running"] += 1
                seen["most"] = max(seen["most"], seen["running"])
            try:
                time.sleep(0.2)  # sleeping releases the interpreter lock: unbounded, they would all overlap
                return real(snap, req)
            finally:
                with lock:
                    seen["running"] -= 1
        return slow
    for module in (api, views, feeds):
        monkeypatch.setattr(module, "run_search", wrap(module.run_search))
    return seen


def _get_all_at_once(app, paths: list[str]) -> list[int]:
    statuses = [None] * len(paths)

    def get(i):
        statuses[i] = app.test_client().get(paths[i]).status_code
    threads = [threading.Thread(target=get, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


@pytest.mark.parametrize("config, turns", [({}, served.usable_cores()), ({"SEARCH_CONCURRENCY": 1}, 1)],
                         ids=["default: the cores", "configured"])
def test_searches_beyond_the_turns_wait_and_are_answered(index_dir, app_for, monkeypatch, config, turns):
    app = app_for(index_dir, **config)
    seen = _count_running(monkeypatch)
    queries = ["/api/v1/search?q=phòng chống dịch", "/?q=dan van", "/feed.atom?q=thi đua",
               "/api/v1/search?q=ho%C3%A0+nh%E1%BA%ADp&format=csv"]
    paths = [queries[i % len(queries)] for i in range(2 * turns + 4)]
    assert _get_all_at_once(app, paths) == [200] * len(paths)
    assert 1 <= seen["most"] <= turns
