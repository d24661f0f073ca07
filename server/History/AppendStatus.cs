namespace LanTalk.Server.History;

/// <summary>What happened to an append. Only the two "Stored" outcomes may be acknowledged to the sender.</summary>
public enum AppendStatus
{
    /// <summary>Committed durably: the id and time are final.</summary>
    Stored,

    /// <summary>A private message committed durably and queued for a recipient who has no session.</summary>
    StoredForDelivery,

    /// <summary>Not stored: the recipient's offline queue holds OfflineMessagesPerUser undelivered messages already.</summary>
    TooManyStored,

    /// <summary>Not stored: the sender has OfflineMessagesPerSender undelivered messages in the recipient's queue already.</summary>
    TooManyStoredFromSender,

    /// <summary>Not stored: the database cannot commit (disk full, read-only, I/O error). Retrying later may work.</summary>
    StorageUnavailable,

    /// <summary>Not stored: the store is shutting down.</summary>
    Closed,
}
