using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Unit;

public sealed class RoomNameTests
{
    [TestCase("#dev", "dev")]
    [TestCase("  dev ", "dev")]
    [TestCase("dev", "dev")]
    public void A_leading_hash_is_optional(string typed, string name)
    {
        RoomName.Normalize(typed).Should().Be(name);
    }

    [TestCase("dev", true)]
    [TestCase("team-1.ops_x", true)]
    [TestCase("Café", true)]
    [TestCase("9lives", true)]
    [TestCase("", false)]
    [TestCase("-dev", false)]
    [TestCase("my room", false)]
    [TestCase("a#b", false)]
    [TestCase("abcdefghijabcdefghijabcdefghijab", true)]
    [TestCase("abcdefghijabcdefghijabcdefghijabc", false)]
    public void Names_follow_the_user_name_rules(string name, bool valid)
    {
        RoomName.IsValid(name).Should().Be(valid);
    }
}
