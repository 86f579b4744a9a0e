"""The words a text is searched by: no database."""

import unittest

from odoo.addons.crm_quality_feedback.tools.faq_words import MAX_WORDS, rank_by_words, search_words


class TestFaqWords(unittest.TestCase):
    def test_words_are_distinct_lower_case_and_without_little_words(self):
        self.assertEqual(
            search_words("The chair's HEIGHT lever: the lever is stuck, 2 of 12 chairs"),
            ["chair", "height", "lever", "stuck", "chairs"],
        )

    def test_short_words_numbers_and_empty_texts_give_nothing(self):
        self.assertEqual(search_words("a to is 42 2026"), [])
        self.assertEqual(search_words(None), [])
        self.assertEqual(search_words(""), [])

    def test_at_most_eight_words_are_searched(self):
        text = "alpha bravo charlie delta echo foxtrot golf hotel india juliet"
        self.assertEqual(len(search_words(text)), MAX_WORDS)
        self.assertEqual(search_words(text)[-1], "hotel")

    def test_accented_words_are_words(self):
        self.assertEqual(search_words("Ärger mit der Rückgabe"), ["ärger", "mit", "der", "rückgabe"])

    def test_entries_rank_by_the_words_they_share_and_none_without_one(self):
        entries = ["desk wobbles", "chair height and lever", "lamp", "chair colour"]
        self.assertEqual(
            rank_by_words(entries, ["chair", "lever", "desk"], str),
            ["chair height and lever", "desk wobbles", "chair colour"],
        )
