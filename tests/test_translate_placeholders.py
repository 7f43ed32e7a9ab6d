"""Masking placeholders before sending and restoring them after."""

from __future__ import annotations

from builder.translate.placeholders import has_placeholder, mask, needs_translation, restore


def test_every_placeholder_kind_is_masked_in_order():
    masked = mask("Is ____ better than [INSERT COUNTRY] or (survey country) or (Dominant country in region)?")
    assert masked.text == "Is {{0}} better than {{1}} or {{2}} or {{3}}?"
    assert masked.placeholders == ("____", "[INSERT COUNTRY]", "(survey country)", "(Dominant country in region)")
    assert mask("No placeholder (here)").placeholders == ()
    assert has_placeholder("a [INSERT NAME OF PARTY] b") and not has_placeholder("a [note] b")


def test_restore_round_trip_even_reordered_or_full_width():
    masked = mask("Compare ____ with [INSERT COUNTRY].")
    assert restore("Сравните {{1}} с {{0}}.", masked.placeholders) == ("Сравните [INSERT COUNTRY] с ____.", True)
    assert restore("比较｛｛0｝｝与{ {1} }。", masked.placeholders) == ("比较____与[INSERT COUNTRY]。", True)


def test_lost_duplicated_or_invented_tokens_are_detected():
    placeholders = mask("Compare ____ with [INSERT COUNTRY].").placeholders
    assert restore("Сравните {{0}}.", placeholders) == ("Сравните ____.", False)
    assert restore("{{0}} {{0}} {{1}}", placeholders)[1] is False
    assert restore("{{0}} {{1}} {{7}}", placeholders) == ("____ [INSERT COUNTRY] {{7}}", True)


def test_strings_without_letters_are_not_sent():
    assert not needs_translation(mask("10").text)
    assert not needs_translation(mask("____").text)
    assert not needs_translation("2.5 - 3")
    assert needs_translation(mask("Rate ____ from 0 to 10").text)
    assert needs_translation("是")
