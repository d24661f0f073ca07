using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

/// <summary>PageUp's paging logic: one request per page, the end of a room's history, and no message twice.</summary>
public sealed class ScrollBackTests
{
    [Test]
    public void Each_page_is_asked_for_once_however_often_PageUp_is_pressed()
    {
        var scroll = new ScrollBack();
        scroll.Next("dev", 40).Should().Be(40UL);
        scroll.Next("dev", 40).Should().BeNull("the page before 40 is on its way already");
        scroll.Next("DEV", 40).Should().BeNull("room names compare case-insensitively");
        scroll.Next("lobby", 40).Should().Be(40UL, "another room pages on its own");

        scroll.Answered("dev", count: 20, remaining: 5);
        scroll.Next("dev", 20).Should().Be(20UL, "the page arrived and the oldest shown moved back to 20");
    }

    [Test]
    public void Nothing_shown_yet_asks_for_the_newest_page()
    {
        new ScrollBack().Next("dev", 0).Should().Be(0UL);
    }

    [Test]
    public void A_page_with_nothing_beyond_it_ends_the_paging()
    {
        var scroll = new ScrollBack();
        scroll.Next("dev", 10).Should().Be(10UL);
        scroll.Answered("dev", count: 9, remaining: 0);

        scroll.IsExhausted("dev").Should().BeTrue();
        scroll.Next("dev", 1).Should().BeNull();
    }

    [Test]
    public void An_empty_page_ends_the_paging()
    {
        var scroll = new ScrollBack();
        scroll.Next("dev", 10);
        scroll.Answered("dev", count: 0, remaining: 0);
        scroll.IsExhausted("dev").Should().BeTrue();
    }

    [Test]
    public void A_failed_request_may_be_asked_again()
    {
        var scroll = new ScrollBack();
        scroll.Next("dev", 30).Should().Be(30UL);
        scroll.Failed("dev", 30);
        scroll.Next("dev", 30).Should().Be(30UL);
        scroll.IsExhausted("dev").Should().BeFalse();
    }

    [Test]
    public void A_paged_message_is_shown_once()
    {
        var scroll = new ScrollBack();
        scroll.Show(5).Should().BeTrue();
        scroll.Show(5).Should().BeFalse();
    }
}
