namespace LanTalk.Server.Net;

/// <summary>What <see cref="MessageRateLimit"/> says of one more message or command.</summary>
internal enum RateVerdict
{
    /// <summary>Within the rate: go ahead.</summary>
    Allowed,

    /// <summary>Over the rate: refuse this one and tell the client to slow down.</summary>
    Refused,

    /// <summary>More than <see cref="MessageRateLimit.MaxRefusalsInARow"/> refusals in a row: cut the session.</summary>
    Abusive,
}
