"""Odoo's CSV import of our main models: a bad row is reported with its row number and its
reason, and no row of that file is written (the import is all or nothing)."""

from odoo.tests import TransactionCase

OPTIONS = {"has_headers": True, "quoting": '"', "separator": ",", "date_format": "%Y-%m-%d", "encoding": "utf-8"}


class TestCsvImport(TransactionCase):
    test_module = "crm_suite"
    test_tags = {"standard", "post_install"}
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Import Test Furniture", "is_company": True})

    def import_csv(self, model, text):
        """Runs the import the way the web client's Import screen does; returns its messages."""
        wizard = self.env["base_import.import"].create(
            {"res_model": model, "file": text.encode(), "file_name": "import.csv", "file_type": "text/csv"}
        )
        header = text.splitlines()[0].split(",")
        return wizard.execute_import(header, header, OPTIONS)

    def assertImportRefused(self, model, text, row, words):
        """The message names the refused row (1 = the first data row, as the Import screen shows it)
        and the file leaves no record behind."""
        before = self.env[model].search_count([])
        result = self.import_csv(model, text)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors, "the bad row is reported")
        self.assertFalse(result["ids"], "nothing is imported")
        message = errors[0]
        self.assertEqual(message["rows"]["from"] + 1, row, message)
        for word in words:
            self.assertIn(word, message["message"])
        self.assertEqual(self.env[model].search_count([]), before, "the good rows are not half-written")

    def test_cost_ledger_with_a_negative_amount_imports_nothing(self):
        self.assertImportRefused(
            "crm.customer.cost",
            "name,partner_id,cost_type,amount,date\n"
            "Showroom,Import Test Furniture,co_marketing,300,2026-01-10\n"
            "Refund typo,Import Test Furniture,co_marketing,-50,2026-01-11\n"
            "Visits,Import Test Furniture,account_management,120,2026-01-12\n",
            2,
            ["Amount"],
        )

    def test_client_risks_with_an_unknown_level_import_nothing(self):
        self.assertImportRefused(
            "crm.client.risk",
            "name,partner_id,risk_type,level\n"
            "Late payer,Import Test Furniture,risky_client,high\n"
            "Too friendly,Import Test Furniture,beyond_professional,enormous\n",
            2,
            ["enormous"],
        )

    def test_mix_targets_not_summing_to_100_import_nothing(self):
        self.assertImportRefused(
            "crm.customer.mix.target",
            "year,target_new,target_repeat,target_switcher,target_last_time\n2031,25,45,20,15\n",
            1,
            ["100"],
        )

    def test_good_rows_import_and_complaints_get_their_numbers(self):
        result = self.import_csv(
            "helpdesk.ticket",
            "name,description,partner_id,is_complaint,received_via,contact_reason\n"
            "Imported: broken hinge,Hinge broke on day one,Import Test Furniture,1,phone,problem\n"
            "Imported: late delivery,Two days late,Import Test Furniture,1,mail,remedy\n",
        )
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        tickets = self.env["helpdesk.ticket"].browse(result["ids"])
        self.assertEqual(len(tickets), 2)
        self.assertTrue(all(tickets.mapped("complaint_number")), "imported complaints enter the complaint process")
        self.assertEqual(len(set(tickets.mapped("complaint_number"))), 2)
        self.assertEqual(set(tickets.mapped("complaint_step")), {"received"})
