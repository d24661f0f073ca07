using System.Security.Cryptography;
using System.Text;

namespace LanTalk.Server.Users;

/// <summary>PBKDF2-SHA256 from the BCL with a per-user random salt; the iteration count is stored with each hash.</summary>
public static class PasswordHasher
{
    public const int SaltBytes = 16;
    public const int HashBytes = 32;

    // Checked against when the user does not exist, so an unknown name costs the same time as a wrong password.
    private static readonly (byte[] Salt, byte[] Hash) s_decoy = (RandomNumberGenerator.GetBytes(SaltBytes), new byte[HashBytes]);

    public static (byte[] Salt, byte[] Hash) Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (salt, Derive(password, salt, iterations));
    }

    public static bool Verify(string password, UserRecord user) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, user.Salt, user.Iterations), user.Hash);

    /// <summary>Burns the same CPU as a real check and always fails.</summary>
    public static bool VerifyDecoy(string password, int iterations)
    {
        CryptographicOperations.FixedTimeEquals(Derive(password, s_decoy.Salt, iterations), s_decoy.Hash);
        return false;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
