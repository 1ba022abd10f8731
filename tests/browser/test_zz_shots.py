from django.urls import reverse
from reversion.models import Version
from reports.models import Publication
from tests.browser.test_editing import signed_in, report, open_section  # noqa

SHOTS = "/tmp/shots-editors"

def test_shots(signed_in, report, live_server, browser):
    chief = signed_in("Chefredaktion", "chefin")
    change = live_server.url + reverse("admin:reports_report_change", args=[report.pk])
    chief.goto(change)
    row, body = open_section(chief, "Conclusion")
    body.fill(body.input_value().replace("The", "Our", 1) + "\n\n| Year | Cases |\n|---|---|\n| 2026 | 3 |\n\nA claim.[^1]\n\n[^1]: The source.")
    chief.locator("#sections-group .inline-related", has=chief.locator(".section-summary-title", has_text="Agent Safety")).locator(".section-move-up").click()
    chief.fill("#id_change_note", "Conclusion reworded; agent safety moved up.")
    chief.click("input[name=_publish]")
    chief.goto(change)
    row, body = open_section(chief, "Successes")
    body.fill("Draft text for successes.")
    chief.click("input[name=_continue]")
    cookies = chief.context.cookies()
    versions = list(Version.objects.get_for_object(report))
    compare = live_server.url + reverse("admin:reports_report_compare", args=[report.pk]) + f"?von={versions[-1].pk}&bis={versions[0].pk}"
    entry = Publication.objects.in_changelog().get()
    pages = {
        "change": change,
        "history": live_server.url + reverse("admin:reports_report_history", args=[report.pk]),
        "compare": compare,
        "changelog": live_server.url + reverse("reports:changes", args=[report.slug]),
        "entry": live_server.url + entry.get_absolute_url(),
        "article": live_server.url + report.get_absolute_url() + "#conclusion",
    }
    for scheme in ("light", "dark"):
        for width in (375, 1440):
            ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, locale="de-DE")
            ctx.add_cookies(cookies)
            page = ctx.new_page()
            for name, url in pages.items():
                page.goto(url)
                if name == "change":
                    page.wait_for_timeout(300)
                page.screenshot(path=f"{SHOTS}/{name}-{width}-{scheme}.png", full_page=name not in ("change", "article"))
            ctx.close()
