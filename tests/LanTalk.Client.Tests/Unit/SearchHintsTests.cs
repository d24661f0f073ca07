using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// What /search says about a query the server reads differently from what was typed (docs/PROTOCOL.md, Search):
/// emoji and punctuation are no words, a one-letter prefix is a whole word, and text without spaces (Chinese,
/// Japanese) is one word. Each was a bare "nothing found" or a silently narrower search (a UX audit, 2026-12-07:
/// "/search 😀" found nothing beside two messages holding it; "/search e*" found only the word "e").
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
    public void Nothing_found_for_text_without_spaces_points_to_the_archive_search()
    {
        SearchHints.NotFound("你好").Should().Contain("lantalk archive search");
        SearchHints.NotFound("こんにちは 世界").Should().Contain("lantalk archive search");
        SearchHints.NotFound("hello").Should().BeEmpty();
    }
}
