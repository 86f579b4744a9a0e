import pytz
from lxml import html

from odoo.addons.crm_relationship.tests.tours import JourneyCase
from odoo.tests import new_test_user, tagged

LOGIN = "shanghai_portal"
TZ = "Asia/Shanghai"


@tagged("post_install", "-at_install")
class TestPortalComplaintDeadlineJourney(JourneyCase):
    def setUp(self):
        super().setUp()
        customer = self.env["res.partner"].create({"name": "Shanghai Seating Co.", "is_company": True, "tz": TZ})
        self.portal_user = new_test_user(self.env, login=LOGIN, name="Li Portal", groups="base.group_portal")
        self.portal_user.partner_id.write({"parent_id": customer.id, "tz": False})
        self.complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: armrests cracked on delivery",
                "description": "<p>Three armrests were cracked.</p>",
                "partner_id": self.portal_user.partner_id.id,
                "user_id": self.env.ref("base.user_admin").id,
                "is_complaint": True,
            }
        )

    def _expected_deadline(self):
        """The first deadline as the customer reads it: in his company's time zone, to the minute."""
        lang = self.env["res.lang"]._lang_get(self.portal_user.lang)
        local = pytz.utc.localize(self.complaint.first_deadline).astimezone(pytz.timezone(TZ))
        return local.strftime(f"{lang.date_format} {lang.time_format.replace(':%S', '')}")

    def test_a_customer_reads_the_deadline_of_his_complaint_in_his_time_zone(self):
        self.assertTrue(self.complaint.first_deadline and not self.complaint.resolved_date, "an answer is due")
        self.assertEqual(self.complaint._portal_time_zone(), TZ, "the customer's company's time zone")
        self.start_journey(
            f"/my/ticket/{self.complaint.id}",
            "crm_quality_portal_complaint_deadline",
            login=LOGIN,
            screenshot="portal_complaint_deadline",
        )
        # what the customer read on the page
        self.authenticate(LOGIN, LOGIN)
        page = html.fromstring(self.url_open(f"/my/ticket/{self.complaint.id}").text)
        card = page.xpath("//div[contains(@class, 'o_portal_complaint')]")[0].text_content()
        shown = page.xpath("//span[contains(@class, 'o_complaint_deadline')]")[0].text_content().strip()
        self.assertIn(self.complaint.complaint_number, card)
        self.assertEqual(shown, self._expected_deadline())
        self.assertIn(f"({TZ})", card)
        utc_time = self.complaint.first_deadline.strftime("%H:%M")
        self.assertNotIn(utc_time, shown, "not the UTC time (8 hours behind Shanghai)")
