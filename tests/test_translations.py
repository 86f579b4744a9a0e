"""Russian and Chinese are complete for our three modules, and a user reads them.

The terms are read afresh from the installed modules (what Odoo's export would write to a new
.pot), so a string added later fails this test until both .po files translate it. A translation
must keep every placeholder and tag of its source: a lost ``%(name)s`` raises when the message is
formatted, a lost tag breaks a view or a mail.
"""

import io
import re
from collections import Counter
from pathlib import Path

import openpyxl

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader

MODULES = ("crm_relationship", "crm_key_accounts", "crm_quality_feedback")
LANGS = {"ru_RU": "ru", "zh_CN": "zh_CN"}  # Odoo's code: the .po file's name
ADDONS = Path(__file__).resolve().parent.parent / "addons"
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdfr]|%[sdfr]|\{\{.*?\}\}|\{[A-Za-z0-9_.]*\}")
OPEN_TAG = re.compile(r"<[A-Za-z][^<>]*>")
CLOSE_TAG = re.compile(r"</[A-Za-z0-9]+\s*>")


def read_po(module, lang):
    path = ADDONS / module / "i18n" / f"{LANGS[lang]}.po"
    with path.open("rb") as handle:
        return {entry["src"]: entry["value"] for entry in PoFileReader(handle) if entry["value"]}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"].search([("name", "in", MODULES)])._update_translations(list(LANGS), overwrite=True)
        cls.po = {(module, lang): read_po(module, lang) for module in MODULES for lang in LANGS}

    def translation(self, module, lang, source):
        return self.po[(module, lang)][source]

    def test_every_term_of_our_modules_is_translated_with_its_placeholders_and_tags(self):
        terms = {
            (module, source)
            for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, modules=list(MODULES)
            )
            if module in MODULES
        }
        self.assertGreater(len(terms), 2000)
        problems = []
        for lang in LANGS:
            for module, source in sorted(terms):
                value = self.po[(module, lang)].get(source)
                if not value:
                    problems.append(f"{lang} {module}: untranslated {source[:70]!r}")
                    continue
                for pattern in (PLACEHOLDER, OPEN_TAG, CLOSE_TAG):
                    if Counter(pattern.findall(source)) != Counter(pattern.findall(value)):
                        problems.append(f"{lang} {module}: {pattern.pattern[:12]} differ in {source[:70]!r}")
        self.assertFalse(problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50]))

    def test_a_russian_and_a_chinese_user_read_menus_and_selection_values_in_their_language(self):
        for lang in LANGS:
            env = self.env(context={"lang": lang})
            with self.subTest(lang=lang):
                menu = env.ref("crm_relationship.menu_crm_relationship_root")
                self.assertEqual(menu.name, self.translation("crm_relationship", lang, "Relationship"))
                self.assertNotEqual(menu.name, "Relationship")
                stages = dict(env["res.partner"]._fields["lifecycle_stage"]._description_selection(env))
                self.assertEqual(stages["at_risk"], self.translation("crm_relationship", lang, "At risk"))
                quadrants = dict(env["crm.portfolio.line"]._fields["bcg_quadrant"]._description_selection(env))
                self.assertEqual(quadrants["cash_cow"], self.translation("crm_relationship", lang, "Cash cow"))

    def test_a_constraint_message_is_raised_in_the_users_language(self):
        source = "%(field)s: enter a value from %(lowest)s to %(highest)s."
        for lang in LANGS:
            manager = new_test_user(
                self.env, login=f"i18n_manager_{lang}", groups="sales_team.group_sale_manager", lang=lang
            )
            # the web client sends the user's language with every call
            env = self.env(user=manager, context={"lang": manager.lang})
            assessment = env["crm.readiness.assessment"].create({"name": "i18n"})
            with self.subTest(lang=lang), self.assertRaises(ValidationError) as raised:
                assessment.cost_reduction = 120.0
            label = env["crm.readiness.assessment"]._fields["cost_reduction"]._description_string(env)
            expected = self.translation("crm_relationship", lang, source) % {
                "field": label,
                "lowest": 0.0,
                "highest": 100.0,
            }
            self.assertEqual(str(raised.exception), expected)
            self.assertNotIn("enter a value", expected)

    def test_the_acknowledgement_mail_subject_is_rendered_in_the_customers_language(self):
        template = self.env.ref("crm_quality_feedback.mail_template_complaint_acknowledgement")
        source = "We have received your complaint {{ object.complaint_number }}"
        for lang in LANGS:
            customer = self.env["res.partner"].create(
                {"name": f"Customer {lang}", "email": "c@example.com", "lang": lang}
            )
            complaint = self.env["helpdesk.ticket"].create(
                {"name": "Broken", "description": "Broken", "partner_id": customer.id, "is_complaint": True}
            )
            self.assertEqual(template._render_lang(complaint.ids)[complaint.id], lang, "the customer's language")
            rendered = template._render_field("subject", complaint.ids, compute_lang=True)[complaint.id]
            expected = self.translation("crm_quality_feedback", lang, source).replace(
                "{{ object.complaint_number }}", complaint.complaint_number or ""
            )
            with self.subTest(lang=lang):
                self.assertEqual(rendered, expected)

    def test_the_portfolio_xlsx_names_its_sheets_in_the_users_language(self):
        analysis = self.env["crm.portfolio.analysis"].search([("state", "=", "done")], limit=1)
        self.assertTrue(analysis, "the demo holds a done portfolio analysis")
        for lang in LANGS:
            content, _kind = (
                self.env["ir.actions.report"]
                .with_context(lang=lang)
                ._render_xlsx("crm_relationship.action_report_portfolio_xlsx", analysis.ids, None)
            )
            sheets = openpyxl.load_workbook(io.BytesIO(content), read_only=True).sheetnames
            with self.subTest(lang=lang):
                self.assertEqual(sheets[4], self.translation("crm_relationship", lang, "Customer Mix")[:31])
