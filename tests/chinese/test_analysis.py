"""The analysis shared by every search engine: normalisation, term streams, query phrases."""

from chinese.analysis import Phrase, analyse, analyse_query, fold_width, highlight_needles, normalise, normalise_aligned


def test_traditional_and_simplified_normalise_to_the_same_text():
    assert normalise("黨務公開") == normalise("党务公开") == "党务公开"
    assert normalise("後來的頭髮") == "后来的头发"


def test_taiwan_traditional_finds_simplified_text_through_the_project_dictionary():
    """OpenCC's t2s keeps 著 (隨著 → 随著); the conversion layer reads it as the particle 着."""
    text = "随着经济发展，本着实事求是的原则，着力解决群众反映的问题"
    query = "隨著經濟發展，本著實事求是的原則，著力解決"
    assert normalise(query) in normalise(text)
    assert normalise_aligned(query) == normalise(query)


def test_full_width_letters_and_digits_fold_to_half_width_lower_case():
    assert normalise("２０２３年ＡＢＣ") == "2023年abc"
    assert fold_width("（试行）") == "(试行)"
    assert len(fold_width("ＡＢ　Ｃ")) == len("ＡＢ　Ｃ")


def test_chinese_runs_become_bigrams_each_ending_with_its_last_character():
    analysed = analyse("党务公开")
    assert analysed.bigrams == "党务 务公 公开 开"
    assert analysed.chars == "党 务 公 开"


def test_mixed_text_keeps_numbers_and_latin_words_whole():
    analysed = analyse("〔2023〕5号 Party Building")
    assert analysed.bigrams.split() == ["2023", "5", "号", "party", "building"]


def test_punctuation_and_query_syntax_never_reach_an_engine():
    phrases = analyse_query('"党费" AND (公示) OR title:* -x NEAR/2')
    terms = [term for phrase in phrases for term in phrase.terms]
    assert all(term.isalnum() for term in terms)
    assert Phrase("bigrams", ("党费",)) in phrases


def test_a_query_of_two_or_more_characters_is_a_bigram_phrase_without_the_final_character():
    assert analyse_query("黨務公開") == [Phrase("bigrams", ("党务", "务公", "公开"))]


def test_a_one_character_run_sends_the_word_to_the_character_stream():
    assert analyse_query("2023年") == [Phrase("chars", ("2023", "年"))]
    assert analyse_query("〔２０２３〕5号") == [Phrase("chars", ("2023", "5", "号"))]


def test_words_are_separate_phrases_and_duplicates_collapse():
    assert analyse_query("党费  党费 公示") == [Phrase("bigrams", ("党费",)), Phrase("bigrams", ("公示",))]


def test_empty_and_symbol_only_queries_have_no_phrases():
    assert analyse_query("") == []
    assert analyse_query("！？。…") == []
    assert analyse_query(None) == []


def test_very_long_queries_are_cut():
    phrases = analyse_query("党" * 5000)
    assert sum(len(phrase.terms) for phrase in phrases) < 300


def test_aligned_normalisation_keeps_positions_for_highlighting():
    text = "關於２０２３年黨務公開工作"
    assert len(normalise_aligned(text)) == len(text)
    assert normalise_aligned(text).index("党务公开") == text.index("黨務公開")


def test_highlight_needles_are_the_query_runs_longest_first():
    assert highlight_needles("黨務公開 2023年") == ["2023", "党务公开", "年"]


def test_a_run_followed_by_digits_keeps_its_final_character_as_the_text_does():
    assert analyse_query("关于2023年度") == [Phrase("bigrams", ("关于", "于", "2023", "年度"))]
    assert analyse("关于2023年度").bigrams.split()[:4] == ["关于", "于", "2023", "年度"]
