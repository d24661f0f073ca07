namespace LanTalk.Server.Net;

/// <summary>Why a connection got no place in the pre-login budget (<see cref="PendingLogins"/>).</summary>
internal enum PendingRefusal
{
    None,

    /// <summary>Its address holds MaxPendingLoginsPerAddress already.</summary>
    PerAddress,

    /// <summary>All MaxPendingLogins are taken, and no address holds more than its share.</summary>
    Budget,
}
