"""Wagtail's autocomplete in Chinese: the admin's page search, the explorer's filter and the page chooser.

Wagtail's database backends split a title on spaces and punctuation only, so a Chinese title
was a single term and only its first characters found it (党务公开 did not find
城关镇2024年第一季度党务公开). The field below gives the index the title as analysed for the
portal's search (both term streams, chinese.analysis); the search backends analyse the query
the same way (search.backends: the autocomplete query compilers).
"""

from wagtail.search import index

from .analysis import analyse


class AnalysedAutocompleteField(index.AutocompleteField):
    """An autocomplete field whose indexed text is the value's terms: bigrams, then single characters."""

    def get_value(self, obj):
        value = super().get_value(obj)
        if not value:
            return value
        analysed = analyse(str(value))
        return f"{analysed.bigrams} {analysed.chars}"

