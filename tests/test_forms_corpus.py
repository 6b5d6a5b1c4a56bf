"""The form documents (corpus/101–113) and their gold files are what ``tests/make_forms_corpus.py`` writes: an edit
by hand to either would make the two disagree silently."""

from __future__ import annotations

from tests import make_forms_corpus


def test_form_documents_and_gold_are_generated() -> None:
    assert make_forms_corpus.main(["--check"]) == 0
