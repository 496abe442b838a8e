"""What every page of a role's journey must pass in a real browser, as a list of problems (empty
when the page is right): axe-core (from node_modules, installed by `make setup` from package.json)
finds no serious or critical violation; no table or element runs past the screen at phone width;
the top bar stays on one line at desktop width; no English UI word and no action or role code is
visible on a Vietnamese page."""

import re
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Served to the page from local disk under our own origin, so the Content-Security-Policy
# (script-src 'self') admits it as it would any of our static files.
AXE_URL = "/__axe__/axe.min.js"

# Words of our English source texts that a Vietnamese page must never show.
ENGLISH_WORDS = [
    "Dossier", "Dossiers", "Submit", "Nominee", "Nominees", "Meeting", "Meetings", "Decision",
    "Decisions", "Vote", "Voted", "Voting", "Close", "Council", "Draft", "Home", "Log out", "Tasks",
    "Agenda", "Minutes", "Award", "Return", "Returned", "Sign", "Signed", "Appraisal", "Chair",
    "Member", "Members", "Secretary", "Attendance", "Result", "Threshold", "Agree", "Disagree",
    "Abstain", "Open", "Save", "Cancel", "Back", "Language", "Queue", "Unit", "State", "Title",
    "the", "of", "your", "you", "now", "left",
]  # fmt: skip
ENGLISH = re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w.@/-])")
# An action code (vote.participate, document.sign) or a role code (unit_head), not a file name.
CODE = re.compile(r"(?<![\w@/.-])([a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*|[a-z]+_[a-z_]+)(?![\w@/-])")
FILE_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "png", "jpg", "jpeg", "p12", "zip"}

PAGE_FACTS = """() => {
  const vw = document.documentElement.clientWidth;
  const facts = {text: document.body.innerText, overflow: [], topbar: null};
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '');
  if (document.documentElement.scrollWidth > vw) {
    facts.overflow.push(`the page is ${document.documentElement.scrollWidth}px wide for ${vw}px`);
  }
  for (const table of document.querySelectorAll('main table')) {
    const box = table.parentElement;
    if (!table.getClientRects().length) continue;
    if (table.scrollWidth > box.clientWidth + 1 || table.getBoundingClientRect().right > vw + 1) {
      facts.overflow.push(`${name(table)} is ${table.scrollWidth}px wide in a ${box.clientWidth}px box`);
    }
  }
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'hidden' || getComputedStyle(a).clip !== 'auto') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > vw + 1 || r.left < -1) && !clipped(el)) {
      facts.overflow.push(`${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)}px of ${vw}px`);
    }
  }
  const nav = document.querySelector('nav.navbar');
  const brand = nav && nav.querySelector('.navbar-brand');
  if (brand) {
    const b = brand.getBoundingClientRect();
    const items = [...nav.querySelectorAll('.navbar-nav > li, #main-nav > form, #main-nav > div')]
      .filter((el) => el.getClientRects().length);
    facts.topbar = {
      height: Math.round(nav.getBoundingClientRect().height),
      off_line: items.filter((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= b.bottom || r.bottom <= b.top;
      }).map((el) => el.innerText.trim().slice(0, 30)),
      past_edge: items.filter((el) => el.getBoundingClientRect().right > vw + 1)
        .map((el) => el.innerText.trim().slice(0, 30)),
    };
  }
  return facts;
}"""


def serve_axe(page):
    """Answer the page's request for axe-core from node_modules (call once per page object)."""
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))


def axe_violations(page) -> list[str]:
    page.add_script_tag(url=AXE_URL)
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter((v) => v.impact === 'serious' || v.impact === 'critical')
             .map((v) => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '))"""
    )
    return [f"axe {v}" for v in found]


def words_problems(text: str) -> list[str]:
    problems = [f"English word “{m}”" for m in sorted(set(ENGLISH.findall(text)))]
    codes = {m for m in CODE.findall(text) if m.rsplit(".", 1)[-1] not in FILE_EXTENSIONS}
    problems += [f"code “{m}”" for m in sorted(codes)]
    return problems


def page_problems(page, *, width: int) -> list[str]:
    """Every problem of the page now loaded, labelled with its address and width. Measured once the
    page has loaded (its stylesheets and fonts): a layout measured before then overflows now and then."""
    page.wait_for_load_state("load")
    facts = page.evaluate(PAGE_FACTS)
    problems = axe_violations(page) + words_problems(facts["text"])
    if width < 576:
        problems += [f"overflow: {o}" for o in facts["overflow"][:8]]
    elif (bar := facts["topbar"]) and (bar["off_line"] or bar["past_edge"] or bar["height"] > 72):
        problems.append(f"the top bar wraps or runs past the screen: {bar}")
    where = page.url.split("/", 3)[-1]
    return [f"/{where} at {width}px: {p}" for p in problems]
