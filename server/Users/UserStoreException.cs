namespace LanTalk.Server.Users;

/// <summary>A user-store problem that names the file and the fix; shown to the operator without a stack trace.</summary>
public sealed class UserStoreException(string message) : Exception(message);
