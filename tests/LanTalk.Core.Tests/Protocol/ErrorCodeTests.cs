using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>The error code numbers and which codes close the connection match docs/PROTOCOL.md §Errors.</summary>
public sealed class ErrorCodeTests
{
    private static readonly ErrorCode[] KeepConnectionOpen =
    [
        ErrorCode.AuthFailed, ErrorCode.AlreadyLoggedIn, ErrorCode.UnknownUser, ErrorCode.UserOffline, ErrorCode.RateLimited,
        ErrorCode.MessageTooLong, ErrorCode.InvalidUserName, ErrorCode.RegistrationDisabled, ErrorCode.UserExists,
        ErrorCode.TooManySessions, ErrorCode.NoSuchRoom, ErrorCode.NotInRoom, ErrorCode.InviteOnly, ErrorCode.NotRoomOwner,
        ErrorCode.InvalidRoomName, ErrorCode.TooManyRooms, ErrorCode.RoomFull, ErrorCode.TopicTooLong,
        ErrorCode.StorageUnavailable, ErrorCode.TooManyStored, ErrorCode.CannotLeaveDefault,
    ];

    [Test]
    public void Error_codes_are_numbered_0_to_34()
    {
        Enum.GetValues<ErrorCode>().Select(c => (int)c).Should().Equal(Enumerable.Range(0, 35));
        ((int)ErrorCode.TooManySessions).Should().Be(23);
        ((int)ErrorCode.CannotLeaveDefault).Should().Be(34);
        ((int)ErrorCode.FrameTooLarge).Should().Be(7);
        ((int)ErrorCode.ProtocolViolation).Should().Be(8);
        ((int)ErrorCode.InternalError).Should().Be(22);
    }

    [Test]
    public void Only_request_level_errors_leave_the_connection_open()
    {
        Enum.GetValues<ErrorCode>().Where(c => !ErrorCodes.ClosesConnection(c)).Should().BeEquivalentTo(KeepConnectionOpen);
    }

    [Test]
    public void Error_codes_this_build_does_not_know_close_the_connection()
    {
        ErrorCodes.ClosesConnection((ErrorCode)999).Should().BeTrue();
        new ErrorPacket((ErrorCode)35, "from the future").ClosesConnection.Should().BeTrue();
    }
}
