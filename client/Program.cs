using LanTalk.Client.App;

namespace LanTalk.Client;

internal static class Program
{
    private static Task<int> Main(string[] args) => LanTalkApp.RunAsync(args, AppEnvironment.FromConsole());
}
