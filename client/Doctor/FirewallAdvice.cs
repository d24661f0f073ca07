namespace LanTalk.Client.Doctor;

/// <summary>The server-side firewall commands, as README gives them, for the port the user is trying.</summary>
internal static class FirewallAdvice
{
    public static string For(int port) =>
        $"On the server machine, allow inbound TCP port {port}:\n" +
        $"  ufw:       sudo ufw allow {port}/tcp\n" +
        $"  firewalld: sudo firewall-cmd --add-port={port}/tcp --permanent && sudo firewall-cmd --reload\n" +
        $"  Windows:   New-NetFirewallRule -DisplayName LanTalk -Direction Inbound -Protocol TCP -LocalPort {port} -Action Allow\n" +
        "             (an elevated PowerShell; or Windows Defender Firewall > Inbound Rules > New Rule > Port)";
}
