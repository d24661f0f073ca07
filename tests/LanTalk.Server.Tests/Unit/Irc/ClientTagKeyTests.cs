using LanTalk.Server.Irc;

namespace LanTalk.Server.Tests.Unit.Irc;

/// <summary>Only client tags whose key fits the message-tags grammar are relayed.</summary>
public sealed class ClientTagKeyTests
{
    [TestCase("+typing")]
    [TestCase("+draft/react")]
    [TestCase("+example.com/x-1")]
    [TestCase("+A9-b")]
    public void A_well_formed_client_tag_key_is_taken(string key) =>
        IrcSession.IsClientTagKey(key).Should().BeTrue();

    [TestCase("+")]
    [TestCase("typing")]
    [TestCase("+a!b")]
    [TestCase("+ké")]
    [TestCase("+a_b")]
    [TestCase("+/x")]
    [TestCase("+vendor/")]
    [TestCase("+ex ample/x")]
    public void A_malformed_key_is_refused(string key) =>
        IrcSession.IsClientTagKey(key).Should().BeFalse();
}
