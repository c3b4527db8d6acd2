"""Sentence segmentation of news prose."""

from wiredesk.analyze import split_sentences


def test_abbreviations_and_initials_do_not_split():
    text = ("Indian External Affairs Minister S. Jaishankar met U.S. Secretary of State Antony Blinken on "
            "Jan. 5 in Washington. Gen. Mark Milley attended. The U.S. The talks lasted two hours.")
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "Indian External Affairs Minister S. Jaishankar met U.S. Secretary of State Antony Blinken on Jan. 5 in "
        "Washington.",
        "Gen. Mark Milley attended.",
        "The U.S.",
        "The talks lasted two hours.",
    ]


def test_offsets_paragraphs_and_quotes():
    text = 'PARIS (AP) - Leaders met.\n\n"We agreed," she said. They left!\nNext line'
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["PARIS (AP) - Leaders met.", '"We agreed," she said.', "They left!",
                                      "Next line"]
    assert [s.paragraph for s in sents] == [0, 1, 1, 2]
    for s in sents:
        assert text[s.start:s.end] == s.text
    assert [s.index for s in sents] == [0, 1, 2, 3]


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences("  \n\n  ") == []
