using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

public sealed class PasswordPolicyTests
{
    [Test]
    public void The_default_minimum_is_OWASPs_8()
    {
        ServerSettings.Default.MinPasswordLength.Should().Be(8);
        SettingRules.Find("MinPasswordLength").Should().NotBeNull();
        DefaultFiles.Settings.Should().Contain("<MinPasswordLength>8</MinPasswordLength>");
    }

    [TestCase("12345678", null)]
    [TestCase("correct horse", null)]
    [TestCase("1234567", "it has 7 characters, and this server requires at least 8")]
    [TestCase("x", "it has 1 character, and")]
    [TestCase("", "the password is empty")]
    public void A_short_password_is_refused_with_its_length_and_the_minimum(string password, string? problem)
    {
        string? found = PasswordPolicy.Problem(password, 8);
        if (problem is null)
        {
            found.Should().BeNull();
        }
        else
        {
            found.Should().Contain(problem);
        }
    }

    [Test]
    public void Characters_are_counted_as_people_count_them()
    {
        PasswordPolicy.Problem("😀😀😀😀", 4).Should().BeNull("four emoji are four characters, though eight UTF-16 units");
        PasswordPolicy.Problem("😀😀😀", 4).Should().Contain("it has 3 characters");
    }
}
