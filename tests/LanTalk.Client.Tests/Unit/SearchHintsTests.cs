using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// What /search says about a query the server reads differently from what was typed (docs/PROTOCOL.md, Search):
/// emoji and punctuation are no words, and a one-letter prefix is a whole word. Each was a bare "nothing found" or a
/// silently narrower search (a UX audit, 2026-12-07: "/search 😀" found nothing beside two messages holding it;
/// "/search e*" found only the word "e"). Text without spaces needs no note: the server finds a part of it.
/// </summary>
public sealed class SearchHintsTests
{
    [TestCase("😀")]
    [TestCase("!!!")]
    [TestCase("-- ( *")]
    [TestCase("👍🏽 🇫🇷")]
    public void A_query_without_a_letter_or_digit_has_nothing_to_search_for(string query) =>
        SearchHints.NothingToSearch(query).Should().BeTrue();

    [TestCase("e")]
    [TestCase("😀 party")]
    [TestCase("你好")]
    [TestCase("e\u0301")]
    [TestCase("42")]
    public void A_query_with_a_letter_or_digit_is_searched(string query) =>
        SearchHints.NothingToSearch(query).Should().BeFalse();

    [Test]
    public void A_one_letter_prefix_is_named_with_the_word_it_looks_for()
    {
        SearchHints.ShortPrefixes("e* report").Should().Equal("e*");
        SearchHints.ShortPrefixes("zebra-c* ok").Should().Equal("zebra-c*");
        SearchHints.ShortPrefixes("scrip* cr* x").Should().BeEmpty("two letters before the * make a prefix");
        SearchHints.ShortPrefixes("*").Should().BeEmpty("no letter at all: ignored, not a whole word");
    }

    [Test]
    public void A_star_after_a_letter_of_text_without_spaces_gets_no_prefix_note()
    {
        // The server makes each such letter a token, so "東*" finds every message with 東: what was asked.
        SearchHints.ShortPrefixes("東*").Should().BeEmpty();
        SearchHints.ShortPrefixes("deploy-完*").Should().BeEmpty();
        SearchHints.ShortPrefixes("完-e*").Should().ContainSingle("the last token is the Latin e").Which.Should().Be("完-e*");
    }
}
