"""Open a dashboard of the Dashboards app in a real browser and read the figures it shows."""

import json
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

from .tours import JourneyCase

# what dashboard_tour.js writes to the browser's console once the dashboard's data sources have answered
FIGURES_SIGNAL = "crm dashboard figures:"


class DashboardJourneyCase(JourneyCase):
    def open_dashboard(self, tour, screenshot, login="admin"):
        """Run the tour that opens a dashboard; return its scorecards as the user reads them: {title: value}."""
        messages = []
        handle_console = ChromeBrowser._handle_console

        def read_console(browser, **params):
            if params.get("args"):
                messages.append(str(browser._from_remoteobject(params["args"][0])))
            return handle_console(browser, **params)

        with patch.object(ChromeBrowser, "_handle_console", read_console):
            self.start_journey("/odoo/dashboards", tour, login=login, screenshot=screenshot)
        reports = [json.loads(message.split(FIGURES_SIGNAL, 1)[1]) for message in messages if FIGURES_SIGNAL in message]
        self.assertEqual(len(reports), 1, "the tour read the dashboard once its data was loaded")
        return reports[0]["figures"]

    def assertFigures(self, figures, expected):
        """The scorecards show the values computed from the database."""
        self.assertEqual(set(figures), set(expected), "every scorecard is read")
        for title, value in expected.items():
            with self.subTest(scorecard=title):
                self.assertAlmostEqual(figures[title], value, places=2)
