"""The phone page in a real headless Chromium (Debian's chromium-driver), against the real server.

With JavaScript on and off a partner picks a column, types and sends a post-it, and sees it in
"your post-its"; axe-core checks WCAG 2.2 AA; body text is at least 16 px.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.join.conftest import Joining, start_joining
from workshopkit.model import Change, ChangeKind, Column, Moderation, Status
from workshopkit.store import Store

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WAIT_S = 10
PHONE_SCREEN = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


def _browser(javascript: bool) -> Iterator[object]:
    require_tool("chromium")
    chromedriver = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="wk-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--no-proxy-server", f"--user-data-dir={profile}"):
            options.add_argument(arg)
        if not javascript:
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2})
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        try:
            driver.set_page_load_timeout(30)
            driver.set_script_timeout(30)
            # A phone's screen (headless windows are at least 500 px wide).
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE_SCREEN)
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture(scope="module")
def browser_without_js() -> Iterator[object]:
    yield from _browser(javascript=False)


@pytest.fixture
def room(store: Store) -> Iterator[Joining]:
    j = start_joining(store, title="Partnership day <b>2026</b>")
    yield j
    j.server.stop()


def _wait(driver, condition, timeout: float = WAIT_S):
    """Wait for a condition; an element replaced while the page loads is looked up again.

    During a form post's navigation Chromium can also answer "node does not belong to the
    document" (a plain WebDriverException) for an element of the page being left; that is
    polled again too, and a condition that never holds still times out and fails.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(WebDriverException,)).until(condition)


def _click(driver, css: str) -> None:
    """Click, retrying if the live page re-rendered the element in between."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def attempt(d) -> bool:
        try:
            d.find_element(By.CSS_SELECTOR, css).click()
        except StaleElementReferenceException:
            return False
        return True

    _wait(driver, attempt)


def _fill_and_send(driver, column: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f"label[for='column-{column}']").click()
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def _mine_texts(driver) -> list[str]:
    """Read in one go: the live page may re-render the list between two element lookups."""
    return driver.execute_script(
        "var out = []; var items = document.querySelectorAll('#mine-list li');"
        "for (var i = 0; i < items.length; i++) { out.push(items[i].innerText); } return out;")


def _run_axe(driver) -> list[dict[str, object]]:
    if not AXE.is_file():
        message = "axe-core is missing: run `npm ci` (the Makefile's test target does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify("
        "[{id: 'axe-error', help: String(e)}])));", WCAG_TAGS)
    violations = json.loads(result)
    return [{"id": v["id"], "help": v["help"],
             "nodes": [n.get("html") for n in v.get("nodes", [])][:3]} for v in violations]


def test_with_javascript_a_post_it_is_sent_and_listed(browser, room: Joining) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(room.base + room.page)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Partnership day <b>2026</b>"
    _fill_and_send(driver, "civic", "Share findings in plain language 🎉")
    _wait(driver, lambda d: any("Share findings in plain language" in t for t in _mine_texts(d)))
    assert "On the board" in _mine_texts(driver)[0]
    assert driver.find_element(By.ID, "text").get_attribute("value") == ""
    _wait(driver, lambda d: "on the board" in d.find_element(By.ID, "live-notice").text)
    postits = room.store.list_postits(room.workshop.id)
    assert [(p.text, p.column, p.author) for p in postits] == [
        ("Share findings in plain language 🎉", Column.CIVIC, "")]
    assert driver.current_url.endswith(room.page)  # no reload


def test_with_javascript_the_board_and_statuses_update_live(browser, room: Joining) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    room.store.update_join_settings(room.workshop.id, moderation=Moderation.APPROVAL)
    room.server.notify()
    driver.get(room.base + room.page)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    _fill_and_send(driver, "shared", "Needs approval first")
    _wait(driver, lambda d: any("Awaiting approval" in t for t in _mine_texts(d)))
    board = driver.find_element(By.ID, "board").text
    assert "Needs approval first" not in board
    postit = room.store.list_postits(room.workshop.id)[0]
    room.store.set_status([postit.id], Status.VISIBLE)  # the facilitator approves it
    room.server.notify(Change(ChangeKind.POSTITS, room.workshop.id, (postit.id,)))
    _wait(driver, lambda d: "Needs approval first" in d.find_element(By.ID, "board").text)
    _wait(driver, lambda d: any("On the board" in t for t in _mine_texts(d)))
    room.store.open_voting(room.workshop.id, budget=1)
    room.server.notify()
    _wait(driver, lambda d: d.find_element(By.ID, "voting").is_displayed())
    _click(driver, f"button[data-vote='{postit.id}']")
    _wait(driver, lambda d: "0 of 1 votes left" in d.find_element(By.ID, "votes-left").text)
    assert room.store.vote_tallies(room.workshop.id) == {postit.id: 1}


def test_without_javascript_the_plain_form_works(browser_without_js, room: Joining) -> None:
    from selenium.webdriver.common.by import By

    driver = browser_without_js
    driver.get(room.base + room.page)
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-live") is None
    _fill_and_send(driver, "universities", "Pay partners on time, without JS")
    _wait(driver, lambda d: "sent=" in d.current_url)
    assert any("Pay partners on time, without JS" in t for t in _mine_texts(driver))
    assert "Sent. Your post-it is on the board." in driver.find_element(
        By.ID, "live-notice").text
    postits = room.store.list_postits(room.workshop.id)
    assert [(p.text, p.column) for p in postits] == [
        ("Pay partners on time, without JS", Column.UNIVERSITIES)]
    # A post the server refuses comes back with the message and what was typed.
    driver.find_element(By.ID, "name").send_keys("Ana")
    _fill_and_send(driver, "shared", "   ")
    _wait(driver, lambda d: d.find_element(By.ID, "form-error").is_displayed())
    assert "cannot be empty" in driver.find_element(By.ID, "form-error").text
    assert driver.find_element(By.ID, "name").get_attribute("value") == "Ana"
    assert driver.find_element(By.ID, "text").get_attribute("aria-invalid") == "true"
    assert len(room.store.list_postits(room.workshop.id)) == 1


def test_the_page_passes_axe_wcag_22_aa(browser, room: Joining) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    wid = room.workshop.id
    room.store.add_postit(wid, Column.SHARED, "Agree outputs early")
    room.store.add_postit(wid, Column.CIVIC, "شراكة عادلة")
    room.store.open_voting(wid)
    room.store.update_join_settings(wid, tallies_shown=True)
    room.server.notify()
    driver.get(room.base + room.page)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "button[data-vote]"))
    assert _run_axe(driver) == []
    # The error state, too.
    driver.find_element(By.ID, "send").click()
    _wait(driver, lambda d: d.find_element(By.ID, "form-error").is_displayed())
    assert _run_axe(driver) == []
    driver.get(room.base + "/")
    assert _run_axe(driver) == []


def test_the_page_without_javascript_passes_axe_too(browser, room: Joining) -> None:
    """The server-rendered page as a phone without JavaScript gets it (phone.js blocked, since
    axe itself needs JavaScript), with a fixed column and the plain voting forms."""
    from selenium.webdriver.common.by import By

    driver = browser
    wid = room.workshop.id
    room.store.update_join_settings(wid, fixed_column=Column.SHARED)
    room.store.add_postit(wid, Column.SHARED, "Agree outputs early")
    room.store.open_voting(wid)
    room.server.notify()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/phone.js"]})
    try:
        driver.get(room.base + room.page)
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-live") is None
        assert driver.find_elements(By.CSS_SELECTOR, "input[type=hidden][name=column]")
        assert driver.find_elements(By.CSS_SELECTOR, "form.vote-form button[name=vote]")
        assert _run_axe(driver) == []
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_body_text_is_at_least_16_px(browser, room: Joining) -> None:
    driver = browser
    room.store.add_postit(room.workshop.id, Column.SHARED, "Big enough to read")
    room.server.notify()
    driver.get(room.base + room.page)
    sizes = driver.execute_script(
        "var out = {}; var sel = ['body', 'p', 'label', 'legend', 'textarea', 'input', "
        "'button', '.hint', '.counter', '.postit .text', '.status', 'li'];"
        "for (var i = 0; i < sel.length; i++) { var all = document.querySelectorAll(sel[i]);"
        "  var min = 1000; for (var j = 0; j < all.length; j++) {"
        "    min = Math.min(min, parseFloat(getComputedStyle(all[j]).fontSize)); }"
        "  out[sel[i]] = min; } return out;")
    assert sizes["body"] >= 16
    assert {name: size for name, size in sizes.items() if size < 16} == {}
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone


def test_the_own_answers_form_passes_axe_with_and_without_javascript(browser,
                                                                      room: Joining) -> None:
    """Step 2's form for a phone's own row: shown, refused (client and server side), saved."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from workshopkit.model import OrgKind

    driver = browser
    wid = room.workshop.id
    room.store.add_organisation(wid, "Queen Mary", OrgKind.UNIVERSITY)
    room.store.update_join_settings(wid, collect_values=True)
    room.server.notify()
    driver.get(room.base + room.page)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    _wait(driver, lambda d: d.find_element(By.ID, "values").is_displayed())
    assert _run_axe(driver) == []
    driver.find_element(By.ID, "values-send").click()  # no name yet: refused in the page
    _wait(driver, lambda d: d.find_element(By.ID, "values-error").is_displayed())
    assert driver.find_element(By.ID, "values-name").get_attribute("aria-invalid") == "true"
    _wait(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "values-name")
    assert _run_axe(driver) == []
    driver.find_element(By.ID, "values-name").send_keys("Ana")
    Select(driver.find_element(By.ID, "values-organisation")).select_by_visible_text("Queen Mary")
    driver.find_element(By.ID, "answer-budget").send_keys("Research grants")
    driver.find_element(By.ID, "values-send").click()
    _wait(driver, lambda d: "in the grid" in d.find_element(By.ID, "values-notice").text)
    assert not driver.find_element(By.ID, "values-error").is_displayed()
    assert driver.find_element(By.ID, "values-name").get_attribute("aria-invalid") is None
    assert _run_axe(driver) == []
    size = driver.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById('values-organisation'))"
        ".fontSize)")
    assert size >= 16

    # The server's answer to a refused plain form post, as a phone without JavaScript sees it.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/phone.js"]})
    try:
        driver.get(room.base + room.page)
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-live") is None
        assert driver.find_element(By.ID, "values-name").get_attribute("value") == "Ana"
        area = driver.find_element(By.ID, "answer-time")
        area.send_keys("x" * 20)
        driver.execute_script("arguments[0].value = arguments[0].value.repeat(15);", area)
        driver.find_element(By.ID, "values-send").click()
        _wait(driver, lambda d: d.find_element(By.ID, "values-error").is_displayed())
        assert "the limit is 280" in driver.find_element(By.ID, "values-error").text
        assert driver.find_element(By.ID, "answer-time").get_attribute("aria-invalid") == "true"
        assert _run_axe(driver) == []
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_the_review_of_the_draft_passes_axe_with_and_without_javascript(browser,
                                                                         room: Joining) -> None:
    """Step 4's review: shown with a numbered draft, refused (client and server side), sent."""
    from selenium.webdriver.common.by import By

    driver = browser
    wid = room.workshop.id
    first = room.store.add_principle(wid, "Pay partners on time",
                                     "Invoices from civic partners are paid within 30 days.")
    second = room.store.add_principle(wid, "شراكة عادلة <b>للجميع</b>", "")
    room.store.update_join_settings(wid, review_open=True)
    room.server.notify()
    driver.get(room.base + room.page)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    _wait(driver, lambda d: d.find_element(By.ID, "review").is_displayed())
    lead = driver.find_element(By.ID, f"principle-{second.id}-lead")
    assert lead.text == "2. شراكة عادلة <b>للجميع</b>"
    assert int(lead.value_of_css_property("font-weight")) >= 700
    assert _run_axe(driver) == []
    # "Suggest a change" with no comment: refused in the page, the comment box marked.
    _click(driver, f"#principle-{first.id} button[data-verdict='change']")
    _wait(driver, lambda d: d.find_element(By.ID, f"review-{first.id}-error").is_displayed())
    box = driver.find_element(By.ID, f"comment-{first.id}")
    assert box.get_attribute("aria-invalid") == "true"
    _wait(driver, lambda d: d.switch_to.active_element.get_attribute("id") == f"comment-{first.id}")
    assert _run_axe(driver) == []
    box.send_keys("Say which invoices")
    assert driver.find_element(By.ID, f"comment-{first.id}-count").text == "18/280 characters"
    _click(driver, f"#principle-{first.id} button[data-verdict='change']")
    _wait(driver, lambda d: "your review is in" in d.find_element(
        By.ID, f"review-{first.id}-notice").text)
    assert driver.find_element(By.ID, f"review-{first.id}-mine").text == \
        "Your review: Suggest a change"
    assert driver.find_element(By.ID, f"comment-{first.id}").get_attribute("aria-invalid") is None
    assert driver.current_url.endswith(room.page)  # sent without reloading
    assert _run_axe(driver) == []
    sizes = driver.execute_script(
        "var out = []; var all = document.querySelectorAll('#review p, #review button, "
        "#review label, #review textarea, #review h3');"
        "for (var i = 0; i < all.length; i++) { out.push(parseFloat("
        "getComputedStyle(all[i]).fontSize)); } return out;")
    assert sizes and min(sizes) >= 16
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390

    # The server's answer to a refused plain form post, as a phone without JavaScript sees it.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/phone.js"]})
    try:
        driver.get(room.base + room.page)
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-live") is None
        assert driver.find_element(By.ID, f"comment-{first.id}").get_attribute("value") == \
            "Say which invoices"
        driver.find_element(By.CSS_SELECTOR,
                            f"#principle-{second.id} button[data-verdict='change']").click()
        _wait(driver, lambda d: d.find_element(By.ID, f"review-{second.id}-error").is_displayed())
        assert "Write a short comment" in driver.find_element(
            By.ID, f"review-{second.id}-error").text
        assert driver.find_element(By.ID, f"comment-{second.id}").get_attribute(
            "aria-invalid") == "true"
        assert _run_axe(driver) == []
        driver.find_element(By.CSS_SELECTOR,
                            f"#principle-{second.id} button[data-verdict='agree']").click()
        _wait(driver, lambda d: "reviewed=" in d.current_url)
        assert "your review is in" in driver.find_element(
            By.ID, f"review-{second.id}-notice").text
        assert _run_axe(driver) == []
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    assert room.store.review_tallies(wid)[second.id].agree == 1
