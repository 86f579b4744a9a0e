"""Journeys in a real browser (headless Chromium), with a screenshot of where they end."""

import base64
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser
from odoo.tools import config


def screenshot_dir():
    """Where the journeys' screenshots go: $CRM_SCREENSHOTS (the test command sets .local/screenshots)."""
    return Path(os.environ.get("CRM_SCREENSHOTS") or Path(config["screenshots"]) / "crm_screenshots")


class JourneyCase(HttpCase):
    """start_tour, and the browser's last screen saved as ``<name>.png`` when the tour succeeds."""

    def start_journey(self, url, tour, login, screenshot=None, **kwargs):
        if not screenshot:
            return self.start_tour(url, tour, login=login, **kwargs)
        target = screenshot_dir() / f"{screenshot}.png"
        target.unlink(missing_ok=True)
        stop = ChromeBrowser.stop

        def capture_then_stop(browser):
            # the tour has ended on the screen it was written for; keep it before the browser closes
            if not browser.had_failure and browser.ws is not None:
                shot = browser._websocket_request("Page.captureScreenshot", timeout=30)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode(shot["data"]))
            stop(browser)

        with patch.object(ChromeBrowser, "stop", capture_then_stop):
            self.start_tour(url, tour, login=login, **kwargs)
        self.assertGreater(target.stat().st_size, 10000, f"{target} shows the screen")
        return target
