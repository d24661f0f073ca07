using System.Text;

namespace LanTalk.Server.Hosting;

/// <summary>Renders the systemd unit for lantalk-server. Pure: text in, text out, so tests check it without systemd.</summary>
public static class SystemdUnit
{
    public const string DefaultPath = "/etc/systemd/system/lantalk.service";

    /// <exception cref="ArgumentException">A path that systemd cannot take literally (relative, or with whitespace or quotes).</exception>
    public static string Render(UnitSpec spec)
    {
        string exe = Checked(spec.ExecutablePath, "executable path");
        string data = Checked(spec.DataDirectory, "data directory");
        var unit = new StringBuilder();
        unit.Append($"""
            # Written by 'lantalk-server service install'; remove it with 'lantalk-server service uninstall'.
            [Unit]
            Description=LanTalk chat server
            After=network-online.target
            Wants=network-online.target

            [Service]
            # The server tells systemd when it listens (sd_notify READY=1), so 'systemctl start' waits for that.
            Type=notify
            ExecStart={exe} service run --data {data}
            # 'systemctl reload lantalk' re-reads Settings.xml and NLog.config, as nginx and sshd do on SIGHUP.
            ExecReload=/bin/kill -HUP $MAINPID
            WorkingDirectory={data}

            """);
        if (spec.User is { } user)
        {
            unit.Append($"User={Checked(user, "user", absolute: false)}\n");
        }

        unit.Append($"""
            Restart=on-failure
            RestartSec=2s
            # Exit code 2 is a configuration error (Settings.xml, NLog.config, Users.xml): restarting cannot fix it.
            RestartPreventExitStatus=2
            # SIGTERM tells every client the server is shutting down; it exits within 2 s.
            TimeoutStopSec=10s
            LimitNOFILE={spec.OpenFileLimit}
            UMask=0077

            # Hardening: the server needs the network and its data directory, nothing else.
            NoNewPrivileges=yes
            ProtectSystem=strict
            ReadWritePaths={data}
            {(IsUnder(data, "/home") || IsUnder(data, "/root") || IsUnder(exe, "/home") || IsUnder(exe, "/root") ? "ProtectHome=read-only" : "ProtectHome=yes")}
            PrivateTmp=yes
            PrivateDevices=yes
            ProtectKernelTunables=yes
            ProtectKernelModules=yes
            ProtectKernelLogs=yes
            ProtectControlGroups=yes
            ProtectClock=yes
            ProtectHostname=yes
            # AF_NETLINK: listing the network interfaces (the addresses printed at start, and where the LAN
            # announcement goes) asks the kernel over netlink; without it the server saw no interface at all.
            RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
            RestrictNamespaces=yes
            RestrictRealtime=yes
            RestrictSUIDSGID=yes
            LockPersonality=yes
            SystemCallArchitectures=native
            # No MemoryDenyWriteExecute: a framework-dependent build JIT-compiles; the Native AOT build would not need it.

            """);
        unit.Append(spec.Port is > 0 and < 1024
            ? "# The port is below 1024: binding it needs this one capability.\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"
            : "CapabilityBoundingSet=\n");
        unit.Append("""

            [Install]
            WantedBy=multi-user.target

            """);
        return unit.ToString();
    }

    /// <summary>Unit files treat '%' as a specifier and whitespace as a separator: escape the one, refuse the other.</summary>
    private static string Checked(string value, string what, bool absolute = true)
    {
        if (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\' or ';'))
        {
            throw new ArgumentException($"the {what} '{value}' contains spaces, quotes or control characters, which a systemd unit cannot hold literally; use a path without them");
        }

        if (absolute && !value.StartsWith('/'))
        {
            throw new ArgumentException($"the {what} '{value}' must be an absolute path");
        }

        return value.Replace("%", "%%", StringComparison.Ordinal);
    }

    private static bool IsUnder(string path, string root) => path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
