"""How the browser tests start Debian's Chromium (never a downloaded browser): headless, and with
the background services off, since this machine's network is closed."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def watch_csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations the page reports (Chromium logs each one as a
    console error: "Refused to execute inline script because it violates …"), collected for the
    test to assert there are none: a blocked script or style means a broken page."""
    violations = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


def sign_in(page, base_url, username, password="pw-test-123"):
    """Sign in through the login page as a person does, and wait for the home page."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/")
