"""Headless-browser tests of the real server: hostile text stays inert, and a staff member's journey works.

Debian's chromium, driven through Debian's chromedriver (no selenium-manager,
no download), loads pages from the production server (waitress, via
tests/live_server.py):

* a directive whose title, issuer, signer, headings, body and recipients carry
  HTML/JS payloads, and hostile query strings, must show as the text typed on
  the search page, the facets, the directive page and an error page, with no
  script run, no element or event handler injected, and our CSP not blocking
  our own script and stylesheet;
* the journey over the samples: type a query without diacritics, filter by a
  facet link and a facet checkbox, page through results, open a directive,
  follow a table-of-contents anchor, go back;
* a directive page ends as the directive does, on screen and in print:
  "Nơi nhận" on the left, the signature block beside it on the right.

A failing test leaves screenshots of the page it was on, as it was and at
1366×900 and 390×844, in var/test-artifacts/<test>/ (VBSEARCH_TEST_ARTIFACTS
to put them elsewhere; paths printed with the failure).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from live_server import live_server

pytestmark = pytest.mark.slow

WAIT = 15  # seconds; pages answer in well under one

# The text parser drops Markdown's "__" (corpus/layout.py), so payloads inside
# the directive set window.pwned; typed queries keep window.__pwned. Both are probed.
DOC_SCRIPT = "<script>window.pwned=1</script>"
DOC_IMG = '"><img src=x onerror="window.pwned=1">'
DOC_SVG = "<svg onload=window.pwned=1>"
DOC_JS_URL = "javascript:window.pwned=1"
DOC_LINK = f'<a href="{DOC_JS_URL}">bấm vào đây</a>'
# Entities typed in a plain-text directive are text, not markup: they must show as typed.
DOC_ENTITIES = "&lt;b&gt;in đậm&lt;/b&gt; &amp; ký hiệu"

HOSTILE_TITLE = (f"Tổ chức tuyên truyền an toàn thông tin mạng {DOC_SCRIPT} {DOC_IMG} "
                 f"{DOC_ENTITIES} {DOC_JS_URL} năm 2023")
# Header lines are all caps; the parser puts them in proper case ("WINDOW" -> "window").
HOSTILE_ISSUER = f"Phòng Giáo dục và Đào tạo {DOC_SCRIPT}"
HOSTILE_SIGNER = "Trần <svg Onload=window.pwned=1>"
HOSTILE_DIRECTIVE = f"""ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO {DOC_SCRIPT.upper()}

Số: 13/KH-UBND

Bình Sơn, ngày 05 tháng 3 năm 2023

KẾ HOẠCH

{HOSTILE_TITLE}

Căn cứ Kế hoạch số 89-KH/TU ngày 24 tháng 12 năm 2021 của Ban Thường vụ Thành ủy về an toàn thông tin;

Phòng Giáo dục và Đào tạo xây dựng Kế hoạch tuyên truyền an toàn thông tin mạng năm 2023 như sau:

I. MỤC ĐÍCH, YÊU CẦU {DOC_SVG}

1. Nâng cao nhận thức của cán bộ, giáo viên về an toàn thông tin mạng; nhận diện mã độc dạng {DOC_SCRIPT} và đường dẫn giả mạo {DOC_IMG}.

2. Không bấm vào liên kết {DOC_JS_URL} hoặc {DOC_LINK} trong thư điện tử lạ; {DOC_ENTITIES} phải hiển thị đúng như khi gõ.

II. Nhiệm vụ {DOC_SCRIPT} trọng tâm

1. Các trường học tổ chức tuyên truyền an toàn thông tin mạng cho học sinh, giáo viên về {DOC_SVG} và {DOC_ENTITIES}.

2. Bộ phận công nghệ thông tin rà soát các trang web của trường.

III. TỔ CHỨC THỰC HIỆN

Các trường học báo cáo kết quả thực hiện về Phòng Giáo dục và Đào tạo trước ngày 30/11/2023.

Nơi nhận:
- Các trường học {DOC_IMG};
- {DOC_JS_URL};
- Lưu: VT.

TRƯỞNG PHÒNG

{HOSTILE_SIGNER.upper()}
"""

HOSTILE_QUERIES = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
]

# Every tag the templates use; anything else in a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "body", "a", "header", "form", "label", "input", "button",
    "main", "footer", "script", "div", "aside", "fieldset", "legend", "ul", "ol", "li", "section", "p",
    "strong", "nav", "span", "h1", "h2", "h3", "h4", "h5", "h6", "mark", "article", "table", "caption",
    "tbody", "tr", "th", "td", "details", "summary", "code",
    # The timeline's chart (templates/_timeline.html).
    "figure", "figcaption", "svg", "line", "rect", "text", "title",
}

#: The viewports a staff member uses: a laptop and a phone.
DESKTOP, PHONE = (1366, 900), (390, 844)
ARTIFACTS = Path(os.environ.get("VBSEARCH_TEST_ARTIFACTS",
                                Path(__file__).resolve().parent.parent / "var" / "test-artifacts"))

PAGE_STATE_JS = """
const own = s => (s.getAttribute('src') || '').startsWith('/static/');
const all = Array.from(document.querySelectorAll('*'));
return {
  pwned: [typeof window.__pwned, typeof window.pwned],
  ownScripts: Array.from(document.scripts).filter(own).length,
  foreignScripts: Array.from(document.scripts).filter(s => !own(s)).map(s => s.outerHTML),
  xImages: document.querySelectorAll('img[src="x"]').length,
  svgs: document.querySelectorAll('svg:not(figure.timeline > svg)').length,
  handlers: all.flatMap(e => Array.from(e.attributes)
                  .filter(a => a.name.toLowerCase().startsWith('on'))
                  .map(a => e.tagName + ' ' + a.name)),
  onerrorOnload: document.querySelectorAll('[onerror],[onload]').length,
  jsUrls: document.querySelectorAll('[href^="javascript:" i],[src^="javascript:" i],[action^="javascript:" i]').length,
  tags: Array.from(new Set(all.map(e => e.localName))),
  headerBackground: getComputedStyle(document.querySelector('header.site')).backgroundColor,
  text: document.body.innerText,
};
"""


# Browser and servers.

def _find(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        pytest.fail(f"{name} not found: the browser tests need Debian's chromium and chromedriver "
                    "(apt-get install chromium chromium-driver; .ci/run installs them)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def driver():
    browser, chromedriver = _find("chromium"), _find("chromedriver")
    profile = tempfile.mkdtemp(prefix="vbsearch-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    # CSP violations are reported on the console; we read it after every page.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path and binary keep selenium-manager from looking for (or downloading) either.
    drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def browser(driver, request):
    """The module's browser; a screenshot is saved when the test fails."""
    driver.get_log("browser")  # start with an empty console
    size = driver.get_window_size()
    yield driver
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / request.node.name.replace("/", "_")
        folder.mkdir(parents=True, exist_ok=True)
        shots = [folder / "failure.png"]
        driver.save_screenshot(str(shots[0]))
        for width, height in (DESKTOP, PHONE):
            driver.set_window_size(width, height)
            shots.append(folder / f"failure-{width}x{height}.png")
            driver.save_screenshot(str(shots[-1]))
        print(f"screenshots of the failing page ({driver.current_url}): {', '.join(map(str, shots))}")
    driver.set_window_size(size["width"], size["height"])  # the next test starts at the usual size


@pytest.fixture(scope="module")
def hostile_server(sample_dir, tmp_path_factory):
    """(base URL, id of the hostile directive) of a server on the samples plus the hostile directive."""
    from indexer import build_index

    root = tmp_path_factory.mktemp("hostile")
    corpus_dir = root / "corpus"
    shutil.copytree(sample_dir, corpus_dir)
    (corpus_dir / "900_hostile.txt").write_text(HOSTILE_DIRECTIVE, encoding="utf-8")
    report = build_index(corpus_dir, root / "index")
    assert not report.failures, report.failures
    with live_server(root / "index", root / "server.log") as (base, _proc):
        found = requests.get(f"{base}/api/v1/search", params={"q": "13/KH-UBND"}, timeout=30).json()
        hit = found["results"][0]
        # The payloads must reach the fields under test, or these tests prove nothing.
        assert hit["number"] == "13/KH-UBND" and hit["title"] == HOSTILE_TITLE, hit
        assert hit["issuer"] == HOSTILE_ISSUER, hit["issuer"]
        assert HOSTILE_SIGNER in {e["value"] for e in found["facets"]["signer"]}, found["facets"]["signer"]
        yield base, hit["id"]


@pytest.fixture(scope="module")
def samples_server(index_dir, tmp_path_factory):
    with live_server(index_dir, tmp_path_factory.mktemp("samples-server") / "server.log") as (base, _proc):
        yield base


# Helpers.

def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if "Content Security Policy" in e["message"] or "Refused to" in e["message"]]


def assert_inert(driver, *visible: str) -> dict:
    """No payload ran or became markup, each of ``visible`` is shown as text, our CSS and JS loaded."""
    state = driver.execute_script(PAGE_STATE_JS)
    where = driver.current_url
    assert state["pwned"] == ["undefined", "undefined"], where
    assert state["ownScripts"] == 1 and state["foreignScripts"] == [], (where, state["foreignScripts"])
    assert state["xImages"] == 0 and state["svgs"] == 0, where
    assert state["handlers"] == [] and state["onerrorOnload"] == 0, (where, state["handlers"])
    assert state["jsUrls"] == 0, where
    assert set(state["tags"]) <= TEMPLATE_TAGS, (where, set(state["tags"]) - TEMPLATE_TAGS)
    # style.css paints the header: it was not blocked by our own CSP.
    assert state["headerBackground"] == "rgb(246, 248, 250)", where
    for text in visible:
        assert text in state["text"], (where, text)
    # Inline payloads would be refused by the CSP, so escaping is what the checks
    # above prove; a CSP report here means either an injection or our CSP
    # blocking our own files.
    assert csp_violations(driver) == [], where
    return state


def assert_csp_header(url: str, status: int = 200) -> None:
    response = requests.get(url, timeout=30)
    assert response.status_code == status, url
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (url, csp)


def open_page(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def replaced(page):
    """A wait condition: the page ``page`` (its <html> element) has been replaced by a new one.

    Selenium's staleness_of only expects a stale-element error; Chromium may
    instead answer "Node with given id does not belong to the document" while
    the old document is being torn down, which means the same.
    """
    def check(driver):
        try:
            return EC.staleness_of(page)(driver)
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
    return check


def click_and_load(driver, element) -> None:
    """Click something that loads a new page and wait until it has."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT).until(replaced(page))
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def hit_links(driver) -> list[str]:
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".hit h2 a")]


def summary_total(driver) -> int:
    return int(driver.find_element(By.CSS_SELECTOR, ".summary strong").text.replace(".", ""))


# Hostile text.

def test_search_results_show_hostile_directive_as_text(browser, hostile_server):
    base, doc_id = hostile_server
    url = f"{base}/?{urlencode({'q': 'an toan thong tin mang'})}"
    assert_csp_header(url)
    open_page(browser, url)
    assert f"/documents/{doc_id}?" in " ".join(hit_links(browser))
    assert_inert(browser, DOC_SCRIPT, DOC_IMG, DOC_ENTITIES, DOC_JS_URL, HOSTILE_ISSUER, HOSTILE_SIGNER)
    marked = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".hit mark")}
    assert {"toàn", "thông", "mạng"} <= marked


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_query_is_echoed_as_text(browser, hostile_server, query):
    base, _ = hostile_server
    url = f"{base}/?{urlencode({'q': query})}"
    assert_csp_header(url)
    open_page(browser, url)
    assert_inert(browser, f"«{query}»")
    assert browser.find_element(By.ID, "q").get_attribute("value") == query
    assert browser.find_element(By.CSS_SELECTOR, ".facet-form input[name=q]").get_attribute("value") == query
    assert browser.title.startswith(f"{query} – ")


def test_hostile_issuer_and_signer_as_facets(browser, hostile_server):
    base, doc_id = hostile_server
    open_page(browser, f"{base}/?{urlencode({'q': 'an toan thong tin mang'})}")
    for facet, value in (("issuer", HOSTILE_ISSUER), ("signer", HOSTILE_SIGNER)):
        entry = next(li for li in browser.find_elements(By.CSS_SELECTOR, f"#facet-{facet} li")
                     if li.find_element(By.TAG_NAME, "label").text == value)
        click_and_load(browser, entry.find_element(By.CSS_SELECTOR, "a.count"))
        assert params(browser.current_url)[facet] == [value]
        assert_csp_header(browser.current_url)
        assert_inert(browser, value)
        box = next(b for b in browser.find_elements(By.CSS_SELECTOR, f"#facet-{facet} input[type=checkbox]")
                   if b.get_attribute("value") == value)
        assert box.is_selected()
        # The header's search box carries the filter on as a hidden field, value intact.
        carried = browser.find_elements(By.CSS_SELECTOR, f"form.searchbox input[type=hidden][name={facet}]")
        assert [c.get_attribute("value") for c in carried] == [value]
    # The directive's link carries the search (query and both filters) for "Quay lại kết quả".
    [link] = hit_links(browser)
    assert link.startswith(f"{base}/documents/{doc_id}?")
    assert params(link) == {"q": ["an toan thong tin mang"], "issuer": [HOSTILE_ISSUER], "signer": [HOSTILE_SIGNER]}


def test_hostile_directive_page(browser, hostile_server):
    base, doc_id = hostile_server
    url = f"{base}/documents/{doc_id}"
    assert_csp_header(url)
    open_page(browser, url)
    assert_inert(browser, HOSTILE_TITLE, HOSTILE_ISSUER, HOSTILE_SIGNER, DOC_LINK, DOC_ENTITIES,
                 f"MỤC ĐÍCH, YÊU CẦU {DOC_SVG}", f"Nhiệm vụ {DOC_SCRIPT} trọng tâm",
                 f"Các trường học {DOC_IMG}")
    assert HOSTILE_TITLE in browser.title


def test_hostile_directive_page_with_hostile_query(browser, hostile_server):
    base, doc_id = hostile_server
    query = HOSTILE_QUERIES[0]
    url = f"{base}/documents/{doc_id}?{urlencode({'q': query})}"
    assert_csp_header(url)
    open_page(browser, url)
    assert_inert(browser, HOSTILE_TITLE, DOC_LINK)
    assert browser.find_elements(By.CSS_SELECTOR, ".directive mark")
    assert browser.find_element(By.ID, "q").get_attribute("value") == query
    back = browser.find_element(By.CSS_SELECTOR, "p.back a").get_attribute("href")
    assert params(back) == {"q": [query]}


def test_error_page_with_markup_in_the_path(browser, hostile_server):
    base, _ = hostile_server
    bad_id = "<img src=x onerror=window.__pwned=1>"
    url = f"{base}/documents/{quote(bad_id)}"
    assert_csp_header(url, status=404)
    open_page(browser, url)
    assert_inert(browser, bad_id)


# The journey over the samples.

def test_staff_journey(browser, samples_server):
    base = samples_server
    open_page(browser, base + "/")
    assert_inert(browser)

    box = browser.find_element(By.ID, "q")
    box.send_keys("phong chong dich")
    page = browser.find_element(By.TAG_NAME, "html")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert params(browser.current_url)["q"] == ["phong chong dich"]
    total = summary_total(browser)
    assert total == len(hit_links(browser)) > 1
    marked = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".hit mark")}
    assert {"phòng", "chống", "dịch"} <= marked, marked
    assert_inert(browser)

    # A facet link narrows the results to its count.
    plans = browser.find_element(By.CSS_SELECTOR, "#facet-doc_type input[value=ke_hoach]")
    plan_count = int(plans.find_element(By.XPATH, "following-sibling::a[@class='count']").text)
    assert 0 < plan_count < total
    click_and_load(browser, plans.find_element(By.XPATH, "following-sibling::a[@class='count']"))
    assert params(browser.current_url)["doc_type"] == ["ke_hoach"]
    assert summary_total(browser) == len(hit_links(browser)) == plan_count
    assert browser.find_element(By.CSS_SELECTOR, "#facet-doc_type input[value=ke_hoach]").is_selected()
    assert_inert(browser)

    # Ticking a year box applies it at once (app.js, so our CSP lets our script run).
    year = browser.find_elements(By.CSS_SELECTOR, "#facet-year input[type=checkbox]")[-1]
    year_value = year.get_attribute("value")
    year_count = int(year.find_element(By.XPATH, "following-sibling::a[@class='count']").text)
    click_and_load(browser, year)
    narrowed = params(browser.current_url)
    assert narrowed["doc_type"] == ["ke_hoach"] and narrowed["year"] == [year_value]
    assert narrowed["q"] == ["phong chong dich"]
    assert summary_total(browser) == len(hit_links(browser)) == year_count
    assert_inert(browser)

    # Paging through a broad query.
    open_page(browser, f"{base}/?{urlencode({'q': 'thuc hien', 'per_page': 2})}")
    first_page = hit_links(browser)
    assert len(first_page) == 2 and summary_total(browser) > 2
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".pagination a[rel=next]"))
    assert params(browser.current_url)["page"] == ["2"]
    assert params(browser.current_url)["per_page"] == ["2"]
    assert browser.find_element(By.CSS_SELECTOR, ".pagination [aria-current=page]").text == "2"
    second_page = hit_links(browser)
    assert second_page and not set(second_page) & set(first_page)
    results_url = browser.current_url
    assert_inert(browser)

    # A directive from the results, with the query's words marked.
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".hit h2 a"))
    doc_url = browser.current_url
    assert doc_url == second_page[0]
    assert urlsplit(doc_url).path.startswith("/documents/")
    assert {"thực", "hiện"} <= {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".directive mark")}
    assert_inert(browser)

    # The last entry of the table of contents: far enough down that the page must scroll.
    entry = browser.find_elements(By.CSS_SELECTOR, "nav.toc > ol > li > a")[-1]
    section_id = entry.get_attribute("href").split("#", 1)[1]
    entry.click()
    WebDriverWait(browser, WAIT).until(lambda d: urlsplit(d.current_url).fragment == section_id)
    target = browser.execute_script("""
        const t = document.querySelector(':target');
        if (!t) return null;
        const r = t.getBoundingClientRect();
        return {id: t.id, top: r.top, height: innerHeight, scrolled: scrollY};""")
    assert target is not None and target["id"] == section_id
    assert target["scrolled"] > 0 and 0 <= target["top"] < target["height"], target

    browser.back()
    WebDriverWait(browser, WAIT).until(lambda d: d.current_url == doc_url)
    assert browser.execute_script("return document.querySelector(':target')") is None
    browser.back()
    WebDriverWait(browser, WAIT).until(lambda d: d.current_url == results_url)
    assert hit_links(browser) == second_page
    assert_inert(browser)


# Filters a staff member can see and undo (issue 16).

def chip_labels(driver) -> list[str]:
    return [c.text.rstrip(" ×") for c in driver.find_elements(By.CSS_SELECTOR, ".chips a.chip")]


def test_chips_remove_one_filter_and_clear_all_removes_every_one(browser, samples_server):
    base = samples_server
    open_page(browser, f"{base}/?{urlencode([('q', 'phong chong dich'), ('doc_type', 'ke_hoach'), ('year', '2022')])}")
    assert chip_labels(browser) == ["Loại văn bản: Kế hoạch", "Năm: 2022"]
    assert browser.find_element(By.CSS_SELECTOR, ".filters-button").get_attribute("textContent") == "Bộ lọc (2)"
    assert_inert(browser)

    chip = next(c for c in browser.find_elements(By.CSS_SELECTOR, ".chips a.chip") if c.text.startswith("Năm"))
    click_and_load(browser, chip)
    assert params(browser.current_url) == {"q": ["phong chong dich"], "doc_type": ["ke_hoach"]}
    assert chip_labels(browser) == ["Loại văn bản: Kế hoạch"]
    assert not browser.find_element(By.CSS_SELECTOR, "#facet-year input[value='2022']").is_selected()

    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Xóa tất cả bộ lọc"))
    assert params(browser.current_url) == {"q": ["phong chong dich"]}
    assert chip_labels(browser) == [] and not browser.find_elements(By.LINK_TEXT, "Xóa tất cả bộ lọc")
    assert not [b for b in browser.find_elements(By.CSS_SELECTOR, ".facet-form input[type=checkbox]") if b.is_selected()]
    assert_inert(browser)


def test_a_new_query_keeps_the_filters_and_says_which(browser, samples_server):
    base = samples_server
    open_page(browser, f"{base}/?{urlencode([('q', 'phong chong dich'), ('doc_type', 'ke_hoach')])}")
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("dân vận")
    page = browser.find_element(By.TAG_NAME, "html")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert params(browser.current_url)["q"] == ["dân vận"] and params(browser.current_url)["doc_type"] == ["ke_hoach"]
    kept = browser.find_element(By.CSS_SELECTOR, ".chips .kept").text
    assert kept == "Tìm «dân vận» với bộ lọc đã giữ từ lần tìm trước:"
    assert chip_labels(browser) == ["Loại văn bản: Kế hoạch"]
    assert_inert(browser)


def test_back_to_results_keeps_query_filters_sort_and_page(browser, samples_server):
    base = samples_server
    results_url = f"{base}/?{urlencode([('q', 'thuc hien'), ('doc_type', 'ke_hoach'), ('sort', 'date_asc'), ('per_page', '1'), ('page', '2')])}"
    open_page(browser, results_url)
    shown = hit_links(browser)
    assert len(shown) == 1
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".hit h2 a"))
    assert urlsplit(browser.current_url).path.startswith("/documents/")
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "‹ Quay lại kết quả"))
    assert params(browser.current_url) == params(results_url)
    assert hit_links(browser) == shown
    assert browser.find_element(By.CSS_SELECTOR, ".pagination [aria-current=page]").text == "2"


def test_the_filter_form_leaves_empty_fields_out_of_the_url(browser, samples_server):
    base = samples_server
    open_page(browser, f"{base}/?{urlencode({'q': 'phong chong dich'})}")
    # Chromium's date field: typed day by day as the locale shows it; set as the form would send it.
    browser.execute_script("document.getElementById('date_to').value = '2021-12-31'")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".facet-form button.apply"))
    assert params(browser.current_url) == {"q": ["phong chong dich"], "date_to": ["2021-12-31"]}
    assert chip_labels(browser) == ["Ngày: đến 31/12/2021"]
    assert {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#facet-year label")} == {"2021"}


def test_on_a_phone_the_filters_open_from_a_button_above_the_results(browser, samples_server):
    base = samples_server
    browser.set_window_size(*PHONE)
    open_page(browser, f"{base}/?{urlencode([('q', 'phong chong dich'), ('doc_type', 'ke_hoach')])}")
    button = browser.find_element(By.CSS_SELECTOR, ".filters-button")
    first_hit = browser.find_element(By.CSS_SELECTOR, ".hit")
    facets = browser.find_element(By.ID, "bo-loc")
    assert button.is_displayed() and button.text == "Bộ lọc (1)"
    assert not facets.is_displayed()
    assert button.location["y"] < first_hit.location["y"]
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")

    button.click()
    WebDriverWait(browser, WAIT).until(lambda d: facets.is_displayed())
    assert button.get_attribute("aria-expanded") == "true"
    assert button.location["y"] < facets.location["y"] < first_hit.location["y"]
    year = browser.find_elements(By.CSS_SELECTOR, "#facet-year input[type=checkbox]")[0]
    value = year.get_attribute("value")
    click_and_load(browser, year)
    assert params(browser.current_url)["year"] == [value]
    assert browser.find_element(By.CSS_SELECTOR, ".filters-button").text == "Bộ lọc (2)"
    assert_inert(browser)


def test_timeline_bars_are_links_to_their_year(browser, samples_server):
    base = samples_server
    open_page(browser, f"{base}/?{urlencode({'q': 'phong chong dich'})}")
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.timeline a.bar")
    labels = [b.get_attribute("aria-label") for b in bars]
    assert len(bars) >= 2 and all(label.startswith("Năm ") and label.endswith(" văn bản") for label in labels)
    assert_inert(browser)
    # Keyboard: the bars are in the tab order, and Enter follows one.
    year, count = labels[-1].removeprefix("Năm ").removesuffix(" văn bản").split(": ")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("arguments[0].focus()", bars[-1])
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert params(browser.current_url) == {"q": ["phong chong dich"], "year": [year]}
    assert summary_total(browser) == int(count)
    assert browser.find_element(By.CSS_SELECTOR, f"figure.timeline a.bar.selected").get_attribute("aria-label") \
        == f"Năm {year}: {count} văn bản (đang lọc)"


@pytest.mark.parametrize("width, height", [DESKTOP, PHONE])
def test_results_and_directive_pages_fit_the_screen(browser, samples_server, width, height):
    base = samples_server
    browser.set_window_size(width, height)
    for url in (f"{base}/?{urlencode({'q': 'phong chong dich'})}", f"{base}/documents/655-kh-pgddt-2021"):
        open_page(browser, url)
        assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth"), url
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        assert_inert(browser)


# Autocomplete and the keyboard.

def suggestion_labels(driver) -> list[str]:
    return [li.find_element(By.CSS_SELECTOR, ".label").text
            for li in driver.find_elements(By.CSS_SELECTOR, "#q-suggestions [role=option]")]


def test_autocomplete_with_the_keyboard(browser, samples_server):
    base = samples_server
    open_page(browser, base + "/")
    # "/" from anywhere on the page puts the cursor in the search box.
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "q"
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"

    box.send_keys("655/")
    WebDriverWait(browser, WAIT).until(lambda d: box.get_attribute("aria-expanded") == "true")
    assert suggestion_labels(browser)[0] == "655/KH-PGDĐT"
    listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    box.send_keys(Keys.ARROW_DOWN)
    first = browser.find_element(By.CSS_SELECTOR, "#q-suggestions [role=option]")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert browser.switch_to.active_element == box  # focus stays in the box
    page = browser.find_element(By.TAG_NAME, "html")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert urlsplit(browser.current_url).path == "/documents/655-kh-pgddt-2021"
    assert_inert(browser)

    # An issuer typed without diacritics; Escape closes the list; Enter then searches the words.
    open_page(browser, base + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("minh lo")
    WebDriverWait(browser, WAIT).until(lambda d: "Phòng Giáo dục và Đào tạo huyện Minh Long" in suggestion_labels(d))
    options = browser.find_elements(By.CSS_SELECTOR, "#q-suggestions [role=option]")
    issuer = next(i for i, o in enumerate(options) if "suggestion-issuer" in o.get_attribute("class"))
    for _ in range(issuer + 1):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ARROW_UP, Keys.ARROW_DOWN)  # up and back down lands on the same option
    assert box.get_attribute("aria-activedescendant") == options[issuer].get_attribute("id")
    page = browser.find_element(By.TAG_NAME, "html")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert params(browser.current_url) == {"issuer": ["Phòng Giáo dục và Đào tạo huyện Minh Long"]}

    open_page(browser, base + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("to chuc")
    WebDriverWait(browser, WAIT).until(lambda d: box.get_attribute("aria-expanded") == "true")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert not browser.find_element(By.ID, "q-suggestions").is_displayed()
    page = browser.find_element(By.TAG_NAME, "html")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(replaced(page))
    assert params(browser.current_url) == {"q": ["to chuc"]}
    assert_inert(browser)


def test_copy_link_beside_the_title_and_every_section_heading(browser, samples_server):
    base = samples_server
    open_page(browser, f"{base}/documents/655-kh-pgddt-2021?{urlencode({'q': 'thi đua', 'doc_type': 'ke_hoach'})}")
    # Every section with a heading of its own (a numbered paragraph has none: its anchor is the "§").
    sections = browser.execute_script(
        "return [...document.querySelectorAll('.doc-section')].filter("
        "s => s.querySelector(':scope > h3, :scope > h4, :scope > h5, :scope > h6'))")
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.copy-link")
    assert len(buttons) == len(sections) + 1 and len(sections) >= 4
    page_url = f"{base}/documents/655-kh-pgddt-2021"
    # The page's own link, not the search that led to it; each section's anchor.
    assert buttons[0].get_attribute("data-url") == page_url
    assert [b.get_attribute("data-url") for b in buttons[1:]] == [f"{page_url}#{s.get_attribute('id')}" for s in sections]
    assert all(b.text == "Sao chép liên kết" for b in buttons if b.is_displayed())
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    section_button = buttons[3]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", section_button)
    section_button.click()
    WebDriverWait(browser, WAIT).until(lambda d: section_button.text == "Đã sao chép")
    pasted = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], e => arguments[0]('error: ' + e))")
    assert pasted == section_button.get_attribute("data-url")
    assert_inert(browser)


# A long facet list: twelve issuers.

DISTRICTS = ["Minh Long", "Ba Tơ", "Sơn Hà", "Bình Sơn", "Tư Nghĩa", "Củ Chi", "Hóc Môn", "Cần Giờ",
             "Dầu Tiếng", "Phú Giáo", "Bàu Bàng", "Thủy Nguyên"]


@pytest.fixture(scope="module")
def many_issuers_server(tmp_path_factory):
    from indexer import build_index

    root = tmp_path_factory.mktemp("many-issuers")
    corpus_dir = root / "corpus"
    corpus_dir.mkdir()
    for i, district in enumerate(DISTRICTS, 1):
        (corpus_dir / f"kh-{i:02d}.txt").write_text(f"""PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN {district.upper()}

Số: {i}/KH-PGDĐT

{district}, ngày {i:02d} tháng 3 năm 2023

KẾ HOẠCH

Tuyên truyền chuyển đổi số trong trường học năm 2023

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức của cán bộ, giáo viên về chuyển đổi số.

II. TỔ CHỨC THỰC HIỆN

Các trường học báo cáo kết quả về Phòng Giáo dục và Đào tạo.
""", encoding="utf-8")
    report = build_index(corpus_dir, root / "index")
    assert not report.failures and report.total == len(DISTRICTS), report
    with live_server(root / "index", root / "server.log") as (base, _proc):
        yield base


def test_a_long_facet_shows_ten_then_more_and_filters_as_typed(browser, many_issuers_server):
    base = many_issuers_server
    open_page(browser, f"{base}/?{urlencode({'q': 'chuyen doi so'})}")
    facet = browser.find_element(By.ID, "facet-issuer")

    def shown():
        return [li.find_element(By.TAG_NAME, "label").text for li in facet.find_elements(By.TAG_NAME, "li")
                if li.is_displayed()]

    assert len(shown()) == 10
    more = facet.find_element(By.CSS_SELECTOR, "a.facet-more")
    assert more.text == "Xem thêm (2)"
    box = facet.find_element(By.CSS_SELECTOR, "input[data-facet-filter]")
    assert box.is_displayed()  # app.js shows the box
    box.send_keys("cu chi")  # without diacritics
    assert shown() == ["Phòng Giáo dục và Đào tạo huyện Củ Chi"]
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    assert len(shown()) == 10
    more.click()  # in place: the page already has every value
    WebDriverWait(browser, WAIT).until(lambda d: len(shown()) == len(DISTRICTS))
    assert not more.is_displayed() and params(browser.current_url) == {"q": ["chuyen doi so"]}
    assert set(shown()) == {f"Phòng Giáo dục và Đào tạo huyện {d}" for d in DISTRICTS}
    assert_inert(browser)


# The directive page as the directive.

CLOSING_LAYOUT_JS = """
    const box = s => document.querySelector(s).getBoundingClientRect();
    const recipients = box('.closing .recipients'), signature = box('.closing .signature');
    const toc = document.querySelector('nav.toc li');
    return {recipientsRight: recipients.right, recipientsTop: recipients.top,
            signatureLeft: signature.left, signatureTop: signature.top, width: innerWidth,
            tocMarker: toc ? getComputedStyle(toc).listStyleType : null,
            tocShown: getComputedStyle(document.querySelector('nav.toc')).display !== 'none',
            signerName: getComputedStyle(document.querySelector('.signature .signer-name')).textAlign};"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_recipients_left_signature_right_on_screen_and_in_print(browser, samples_server, media):
    """003 ends as printed: "Nơi nhận" in the left column, TM./KT./title/name beside it on the right."""
    found = requests.get(f"{samples_server}/api/v1/search", params={"signer": "Nguyễn Mạnh Thắng"},
                         timeout=30).json()["results"]
    assert [r["number"] for r in found] == [None] and found[0]["doc_type"] == "chi_thi"
    doc_id = found[0]["id"]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        open_page(browser, f"{samples_server}/documents/{doc_id}")
        layout = browser.execute_script(CLOSING_LAYOUT_JS)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert layout["recipientsRight"] <= layout["signatureLeft"], layout
    assert abs(layout["recipientsTop"] - layout["signatureTop"]) < 2, layout
    assert layout["signatureLeft"] >= layout["width"] / 3 and layout["signerName"] == "center", layout
    # The contents: the list draws no numbers of its own on screen; a printout has no contents.
    assert layout["tocShown"] == (media == "screen")
    if media == "screen":
        assert layout["tocMarker"] == "none", layout
