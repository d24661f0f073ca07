using LanTalk.Server.Rooms;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The name rules: new user, room and guest names refuse invisible characters and the guest prefix, while names
/// already stored under the older rule stay valid (a security audit, 2026-12-06, M1 and L1).
/// </summary>
[TestFixture]
public sealed class UserNamesTests
{
    [TestCase("alice\uFE0F", "FE0F")]
    [TestCase("alice\u034F", "034F")]
    [TestCase("alice\u180B", "180B")]
    [TestCase("al\u3164ice", "3164")]
    [TestCase("\u115Falice", "115F")]
    [TestCase("alice\U000E0100", "E0100")]
    [TestCase("ali\u00ADce", "00AD")]
    [TestCase("ali\u200Bce", "200B")]
    public void A_new_name_with_an_invisible_default_ignorable_character_is_refused_naming_the_character(string name, string codePoint)
    {
        UserNames.IsValid(name, 32, out string problem).Should().BeFalse();
        problem.Should().Contain($"U+{codePoint}").And.Contain("invisible").And.StartWith("a user name");

        RoomNames.IsValid(name, 32, out string roomProblem).Should().BeFalse();
        roomProblem.Should().StartWith("a room name").And.Contain($"U+{codePoint}");
    }

    [TestCase("alice\uFE0F")]
    [TestCase("alice\u034F")]
    [TestCase("alice\u180B")]
    [TestCase("\u3164alice")]
    public void A_name_stored_under_the_older_rule_with_an_invisible_mark_or_filler_stays_valid(string name)
    {
        UserNames.IsValidExisting(name, 32, out _).Should().BeTrue("accounts and rooms made before the rule keep working");
        RoomNames.IsValidExisting(name, 32, out _).Should().BeTrue();
    }

    [TestCase("alice")]
    [TestCase("Jos\u00E9")]
    [TestCase("Zo\u00EB")]
    [TestCase("\u0E2A\u0E21\u0E0A\u0E32\u0E22")]
    [TestCase("x\u0302")]
    [TestCase("a.b_c-1")]
    [TestCase("\u0928\u093F\u0916\u093F\u0932")]
    [TestCase("\u0BB0\u0BBE\u0BAE\u0BCD")]
    public void Ordinary_names_with_letters_marks_and_digits_stay_valid(string name)
    {
        UserNames.IsValid(name, 32, out string problem).Should().BeTrue(problem);
    }

    [TestCase("guest-bob", "guest-")]
    [TestCase("Guest-Bob", "guest-")]
    [TestCase("GUEST-x", "guest-")]
    [TestCase("g_zed", "g_")]
    public void A_new_account_name_starting_with_the_guest_prefix_in_any_case_is_refused(string name, string prefix)
    {
        UserNames.NewAccountProblem(name, 32, prefix).Should().Contain($"'{prefix}'").And.Contain("GuestPrefix");
    }

    [TestCase("guest-bob", "")]
    [TestCase("guestbob", "guest-")]
    [TestCase("bob-guest-", "guest-")]
    public void A_new_account_name_not_starting_with_the_guest_prefix_is_accepted(string name, string prefix)
    {
        UserNames.NewAccountProblem(name, 32, prefix).Should().BeNull();
    }

    [Test]
    public void A_new_account_name_gets_the_character_rule_too()
    {
        UserNames.NewAccountProblem("bob\uFE0F", 32, "guest-").Should().Contain("U+FE0F");
    }

    [TestCase("Jose\u0301", "U+0301")]
    [TestCase("\u212Aate", "U+212A")]
    [TestCase("\u212Bsa", "U+212B")]
    [TestCase("a\u0316\u0301", "U+0301")]
    [TestCase("\u304B\u3099", "U+3099")]
    [TestCase("\u0995\u09C7\u09BE", "U+09BE")]
    [TestCase("\u1112\u1161\u11AB", "U+1161")]
    [TestCase("\uAC00\u11A8", "U+11A8")]
    public void A_new_name_not_in_NFC_is_refused_naming_the_character_though_an_older_one_stays_valid(string name, string codePoint)
    {
        // string.IsNormalized is true for all of these under InvariantGlobalization, so the rule has its own check.
        UserNames.IsValid(name, 32, out string problem).Should().BeFalse();
        problem.Should().Contain("NFC").And.Contain(codePoint);
        RoomNames.IsValid(name, 32, out string roomProblem).Should().BeFalse();
        roomProblem.Should().StartWith("a room name");
        UserNames.IsValidExisting(name, 32, out _).Should().BeTrue();
    }

    [TestCase("\u00E1\u0316")]
    [TestCase("\uD55C\uAE00")]
    [TestCase("\u304C")]
    [TestCase("K\u00E5re")]
    [TestCase("\u0995\u09CB")]
    public void Names_in_NFC_with_precomposed_letters_and_marks_that_compose_with_nothing_are_accepted(string name)
    {
        UserNames.IsValid(name, 32, out string problem).Should().BeTrue(problem);
    }

    [Test]
    public void An_account_made_before_the_rule_for_new_names_gets_a_warning_that_it_keeps_working_and_how_to_remove_it()
    {
        var warnings = UserNames.LookAlikeWarnings(["alice", "alice\uFE0F", "Jose\u0301", "guest-old"]).ToList();

        warnings.Should().HaveCount(2, "only the invisible mark and the NFD name break the rule; the guest prefix is the server's setting, not the name's");
        warnings[0].Should().Contain("'alice\uFE0F'").And.Contain("U+FE0F").And.Contain("keeps working").And.Contain("lantalk-server user remove alice\uFE0F");
        warnings[1].Should().Contain("NFC");
    }

    [Test]
    public void A_name_must_fit_in_the_128_byte_name_field_even_with_MaxUserNameLength_128()
    {
        // A MaxUserNameLength over 32 is allowed (first-release accounts of 40 characters); the bytes still bound every name.
        string cjk43 = new('\u4E2D', 43);
        UserNames.NewAccountProblem(cjk43, 128, "guest-").Should().Contain("128 UTF-8 bytes").And.Contain("129");
        UserNames.IsValidExisting(cjk43, 128, out string existing).Should().BeFalse("Users.xml, IRC nicks and guests get the byte rule too");
        existing.Should().Contain("128 UTF-8 bytes");
        // 33 letters of 4 UTF-8 bytes (U+1D400, outside the Basic Multilingual Plane): refused as well.
        UserNames.NewAccountProblem(string.Concat(Enumerable.Repeat("\U0001D400", 33)), 128, "guest-").Should().NotBeNull();
        UserNames.NewAccountProblem(new string('\u4E2D', 42) + "ab", 128, "guest-").Should().BeNull("128 bytes fit");
        UserNames.NewAccountProblem(new string('a', 128), 128, "guest-").Should().BeNull();
        UserNames.NewAccountProblem(new string('a', 129), 128, "guest-").Should().Contain("1 to 128 characters");
    }

    [Test]
    public void The_start_warns_of_each_account_starting_with_the_guest_prefix_in_any_case_unless_the_prefix_is_empty()
    {
        // AccountWarnings is what the start logs as WARN lines, and what config check prints.
        var warnings = UserNames.AccountWarnings(["alice", "guest-bob", "GUEST-eve", "bob-guest-"], 32, "guest-", "Settings.xml").ToList();

        warnings.Should().HaveCount(2);
        warnings[0].Should().Contain("'guest-bob'").And.Contain("<GuestPrefix> 'guest-'").And.Contain("keeps working").And.Contain("'bob'");
        warnings[1].Should().Contain("'GUEST-eve'");
        UserNames.AccountWarnings(["guest-bob"], 32, "", "Settings.xml").Should().BeEmpty();
    }
}
