"""The words a customer's text is searched by in the FAQ: pure functions, no database.

The portal's search box and the suggestions of the complaint form read a text the same way:
its distinct words of at least three letters, lower case, without the little words every text
has, the first MAX_WORDS of them. A word matches an entry when it occurs in its question or its
answer (as a part of a longer word too, the way the database's ``ilike`` compares).
"""

import re

MIN_WORD_LENGTH = 3
MAX_WORDS = 8
# what a customer types is never longer than a complaint's subject and description
MAX_TEXT_LENGTH = 2000
WORD = re.compile(r"\w+")
STOP_WORDS = frozenset(
    """
    about after again all also and any are been before but can could did does for from had has
    have her here him his how into its just not only our out she should some than that the their
    them then there they this too very was were what when where which who why will with would you
    your
    """.split()
)


def search_words(text, limit=MAX_WORDS):
    """The distinct words of ``text`` worth searching, in the order they first appear."""
    words = []
    for match in WORD.finditer((text or "")[:MAX_TEXT_LENGTH].lower()):
        word = match.group()
        if len(word) < MIN_WORD_LENGTH or word.isdigit() or word in STOP_WORDS or word in words:
            continue
        words.append(word)
        if len(words) == limit:
            break
    return words


def matching_words(text, words):
    """How many of ``words`` occur in ``text`` (case-insensitive, inside longer words too)."""
    lowered = (text or "").lower()
    return sum(1 for word in words if word in lowered)


def rank_by_words(entries, words, text_of):
    """``entries`` with at least one of ``words``, most words matched first (then in the given
    order): the ranking of the suggestions. ``text_of(entry)`` is the text searched."""
    scored = [(matching_words(text_of(entry), words), index, entry) for index, entry in enumerate(entries)]
    return [entry for score, _index, entry in sorted(scored, key=lambda s: (-s[0], s[1])) if score]
