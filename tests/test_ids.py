"""Ids and links that never change: renamed, reordered, re-wrapped files and rebuilds keep every URL;
earlier ids, other cases and trailing slashes redirect permanently.

Every check goes through what a user has: the page /documents/<id> and its
JSON twin /api/v1/documents/<id>.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import indexer
from indexer import layout
from indexer.store import DirectiveStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
SAMPLE_000 = ROOT / "corpus" / "samples" / "000_0c190002a228be20.txt"
SAMPLE_002 = ROOT / "corpus" / "samples" / "002_43a1c1c90911598f.txt"


def store_of(index: Path) -> DirectiveStore:
    return DirectiveStore(layout.current_generation(index) / layout.STORE, readonly=True)


def ids_by_title(index: Path) -> dict[str, str]:
    """Directive id by (number, title): what identifies each directive to a reader."""
    store = store_of(index)
    try:
        found = store.get_many(sorted(store.ids()))
    finally:
        store.close()
    return {f"{d['number']}|{d['title']}|{d['issuer']}": doc_id for doc_id, d in found.items()}


@pytest.fixture()
def serve(app_for):
    """serve(index) -> a test client of the app serving that index."""
    return lambda index: app_for(index).test_client()


def assert_resolves(client, doc_id: str) -> None:
    """The page and the JSON of ``doc_id`` answer 200, directly or through a permanent redirect to itself."""
    page = client.get(f"/documents/{doc_id}")
    api = client.get(f"/api/v1/documents/{doc_id}")
    assert page.status_code == 200, (doc_id, page.status_code)
    assert api.status_code == 200 and api.get_json()["id"] == doc_id


def rewrap(text: str) -> str:
    """The same directive with other whitespace: doubled blank lines, trailing spaces, a long line hard-wrapped."""
    out = []
    for line in text.split("\n"):
        if len(line) > 200:
            cut = line.index(" ", 100)
            out += [line[:cut] + "  ", line[cut + 1:]]
        else:
            out.append(line + ("   " if line else "\n"))
    return "\n".join(out)


def test_renamed_reordered_and_rewrapped_files_keep_every_url_through_rebuilds(tmp_path, serve):
    folder, index = tmp_path / "corpus", tmp_path / "index"
    folder.mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder)
    indexer.build_index(folder, index)
    before = ids_by_title(index)
    assert len(set(before.values())) == len(SAMPLES)

    # Every file renamed (Vietnamese names, another order, a subfolder), one re-wrapped.
    names = ["Kế hoạch Củ Chi.txt", "huong-dan/Hướng dẫn 34.txt", "a-ke-hoach-655.txt", "Chỉ thị năm học.txt",
             "0-ke-hoach-dan-van.txt"]
    for path, name in zip(sorted(folder.glob("*.txt")), names):
        target = folder / name
        target.parent.mkdir(exist_ok=True)
        text = path.read_text("utf-8")
        path.unlink()
        target.write_text(rewrap(text) if path.name == SAMPLE_000.name else text, encoding="utf-8")
    report = indexer.build_index(folder, index)
    assert report.changed and report.removed == len(SAMPLES) and report.directives == len(SAMPLES)
    assert ids_by_title(index) == before
    client = serve(index)
    for doc_id in before.values():
        assert_resolves(client, doc_id)

    # A full rebuild starts the index afresh and still keeps them.
    indexer.build_index(folder, index, full=True)
    assert ids_by_title(index) == before
    client = serve(index)
    for doc_id in before.values():
        assert_resolves(client, doc_id)


def test_ids_of_a_fresh_build_do_not_depend_on_file_names_or_order(tmp_path):
    indexes = []
    for order, names in enumerate([[p.name for p in SAMPLES], [f"{9 - i}-{p.stem[4:]}.txt" for i, p in
                                                               enumerate(SAMPLES)]]):
        folder = tmp_path / f"corpus{order}"
        folder.mkdir()
        for path, name in zip(SAMPLES, names):
            shutil.copy(path, folder / name)
        indexer.build_index(folder, tmp_path / f"index{order}")
        indexes.append(ids_by_title(tmp_path / f"index{order}"))
    assert indexes[0] == indexes[1]
    # The id comes from what the directive is, not what its file is called.
    assert not any(path.stem in doc_id for doc_id in indexes[0].values() for path in SAMPLES)


def two_plans(folder: Path, names: tuple[str, str]) -> None:
    """Two "655/KH-PGDĐT" of 2021 from two district offices (Minh Long, Sơn Tịnh), under ``names``."""
    text = SAMPLE_002.read_text("utf-8")
    folder.mkdir(parents=True)
    (folder / names[0]).write_text(text, encoding="utf-8")
    (folder / names[1]).write_text(text.replace("Minh Long", "Sơn Tịnh"), encoding="utf-8")


def ids_by_issuer(index: Path) -> dict[str, str]:
    return {key.rsplit("|", 1)[1]: doc_id for key, doc_id in ids_by_title(index).items()}


def test_same_number_and_year_from_two_issuers_get_ids_independent_of_file_order(tmp_path):
    two_plans(tmp_path / "a", ("a.txt", "b.txt"))
    two_plans(tmp_path / "b", ("b.txt", "a.txt"))  # the same two directives, files swapped
    report = indexer.build_index(tmp_path / "a", tmp_path / "index-a")
    indexer.build_index(tmp_path / "b", tmp_path / "index-b")
    first, second = ids_by_issuer(tmp_path / "index-a"), ids_by_issuer(tmp_path / "index-b")
    assert first == second
    assert set(first) == {"Phòng Giáo dục và Đào tạo huyện Minh Long", "Phòng Giáo dục và Đào tạo huyện Sơn Tịnh"}
    assert len(set(first.values())) == 2 and all(i.startswith("655-kh-pgddt-2021") for i in first.values())
    assert any("already used" in warning for warning in report.warnings)


def test_a_second_directive_with_the_same_number_leaves_the_first_its_id(tmp_path, serve):
    folder, index = tmp_path / "corpus", tmp_path / "index"
    folder.mkdir()
    shutil.copy(SAMPLE_002, folder / "ke-hoach-minh-long.txt")
    indexer.build_index(folder, index)
    assert ids_by_issuer(index) == {"Phòng Giáo dục và Đào tạo huyện Minh Long": "655-kh-pgddt-2021"}
    (folder / "0-ke-hoach-son-tinh.txt").write_text(
        SAMPLE_002.read_text("utf-8").replace("Minh Long", "Sơn Tịnh"), encoding="utf-8")
    indexer.build_index(folder, index)
    ids = ids_by_issuer(index)
    assert ids["Phòng Giáo dục và Đào tạo huyện Minh Long"] == "655-kh-pgddt-2021"
    assert ids["Phòng Giáo dục và Đào tạo huyện Sơn Tịnh"].startswith("655-kh-pgddt-2021-")
    client = serve(index)
    page = client.get("/documents/655-kh-pgddt-2021").get_data(as_text=True)
    assert "Minh Long" in page and "Sơn Tịnh" not in page


def test_a_directive_removed_and_added_back_gets_its_id_back(tmp_path):
    folder, index = tmp_path / "corpus", tmp_path / "index"
    folder.mkdir()
    shutil.copy(SAMPLE_000, folder)
    indexer.build_index(folder, index)
    (doc_id,) = ids_by_title(index).values()
    indexer.remove_ids(index, [doc_id])
    assert ids_by_title(index) == {}
    indexer.add_files(index, [folder / SAMPLE_000.name], corpus_root=folder)
    assert list(ids_by_title(index).values()) == [doc_id]


@pytest.mark.parametrize("path, status, location", [
    ("/documents/655-KH-PGDDT-2021", 301, "/documents/655-kh-pgddt-2021"),
    ("/documents/655-kh-pgddt-2021/", 301, "/documents/655-kh-pgddt-2021"),
    ("/documents/655-Kh-PgĐĐt-2021/?q=thi+%C4%91ua", 404, None),  # not an id in another case: a different id
    ("/documents/655-KH-PGDDT-2021/?q=thi+%C4%91ua", 301, "/documents/655-kh-pgddt-2021?q=thi+%C4%91ua"),
    ("/api/v1/documents/655-KH-PGDDT-2021", 308, "/api/v1/documents/655-kh-pgddt-2021"),
    ("/api/v1/documents/655-kh-pgddt-2021/", 308, "/api/v1/documents/655-kh-pgddt-2021"),
    ("/documents/655-KH-PGDDT-2021/original", 301, "/documents/655-kh-pgddt-2021/original"),
    ("/documents/khong-co/", 404, None),
    ("/api/v1/documents/KHONG-CO/", 404, None),
])
def test_case_and_trailing_slash_variants_redirect_permanently(client, path, status, location):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers.get("Location") == location
    if status == 404 and path.startswith("/api/"):
        assert response.get_json()["code"] == "not_found"


def test_ids_of_an_index_from_before_schema_2_redirect_to_the_new_ones(tmp_path, serve):
    """An index whose ids came from file names ("000-0c190002a228be20", "34-hd-du-2022"): after the
    rebuild its pages live under the new ids and every old URL redirects there permanently."""
    folder, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(ROOT / "corpus" / "samples", folder)
    indexer.build_index(folder, index)
    new = ids_by_title(index)
    # Make the served generation what schema 1 wrote: no identities, ids from file names.
    generation = layout.current_generation(index)
    manifest = json.loads((generation / layout.MANIFEST).read_text("utf-8"))
    (generation / layout.MANIFEST).write_text(json.dumps({**manifest, "schema_version": 1}), encoding="utf-8")
    old = {"000_0c190002a228be20.txt": "000-0c190002a228be20", "001_f74942306add2ba5.txt": "34-hd-du-2022",
           "002_43a1c1c90911598f.txt": "655-kh-pgddt-2021", "003_1cdd3520dbf33d3e.txt": "003-1cdd3520dbf33d3e",
           "004_a92abdaa7ce0d418.txt": "004-a92abdaa7ce0d418"}
    conn = sqlite3.connect(generation / layout.STORE)
    conn.executescript("DROP TABLE identities; DROP TABLE aliases;")
    conn.executemany("UPDATE directives SET id = ? WHERE source = ?", [(i, s) for s, i in old.items()])
    conn.commit()
    conn.close()

    report = indexer.build_index(folder, index)
    assert any("not reused" in warning for warning in report.warnings)
    assert ids_by_title(index) == new
    client = serve(index)
    store = store_of(index)
    try:
        source_to_id = {source: doc_id for source, (doc_id, _) in store.sources().items()}
    finally:
        store.close()
    for source, earlier in old.items():
        now = source_to_id[source]
        page = client.get(f"/documents/{earlier}")
        if earlier == now:
            assert page.status_code == 200
            continue
        assert (page.status_code, page.headers["Location"]) == (301, f"/documents/{now}")
        api = client.get(f"/api/v1/documents/{earlier.upper()}/")
        assert (api.status_code, api.headers["Location"]) == (308, f"/api/v1/documents/{now}")
        assert client.get(page.headers["Location"]).status_code == 200
