namespace LanTalk.Harness.Infra;

/// <summary>Test accounts: many cheap-hash users for load, and optionally one at the production hash cost.</summary>
internal sealed record UserPool(IReadOnlyList<string> Names, string Password, string? ProductionUser = null, string? ProductionPassword = null)
{
    public string this[int index] => Names[index];

    public int Count => Names.Count;
}
