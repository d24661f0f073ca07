using System.Text;

namespace LanTalk.Server.Hosting;

/// <summary>Renders the systemd unit for lantalk-server. Pure: text in, text out, so tests check it without systemd.</summary>
public static class SystemdUnit
{
    public const string DefaultPath = "/etc/systemd/system/lantalk.service";

    /// <summary>
    /// The first line of every unit Render writes. install replaces and uninstall removes only a file that holds it,
    /// so a hand-written unit (or any other file) given as --unit-path is never overwritten or deleted.
    /// </summary>
    public const string Marker = "# Written by 'lantalk-server service install'";

    /// <summary>Whether <paramref name="text"/> is a unit this tool wrote (it holds <see cref="Marker"/> as a line of its own).</summary>
    public static bool IsOurs(string text) =>
        text.Split('\n').Any(line => line.StartsWith(Marker, StringComparison.Ordinal));

    /// <summary>The name systemctl knows the unit by: the file name less ".service" ("chat" for /etc/systemd/system/chat.service).</summary>
    public static string ServiceName(string unitPath)
    {
        string file = Path.GetFileName(unitPath);
        return file.EndsWith(".service", StringComparison.Ordinal) && file.Length > ".service".Length ? file[..^".service".Length] : "lantalk";
    }

    /// <exception cref="ArgumentException">A path that systemd cannot take literally (relative, or with whitespace or quotes).</exception>
    public static string Render(UnitSpec spec)
    {
        string exe = Checked(spec.ExecutablePath, "executable path");
        string data = Checked(spec.DataDirectory, "data directory");
        var unit = new StringBuilder();
        unit.Append($"""
            {Marker}; remove it with 'lantalk-server service uninstall'.
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
            {PrivateTmp(data, exe)}
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

    /// <summary>
    /// PrivateTmp=yes gives the service an empty /tmp and /var/tmp of its own, so a data directory or executable there
    /// would vanish from its view (ReadWritePaths cannot reach through it). Such a unit is left without PrivateTmp rather
    /// than refused: a data directory under /tmp is a trial or a staging set-up, and a sysadmin trying it out wants a
    /// unit that starts; the rest of the hardening still applies.
    /// </summary>
    private static string PrivateTmp(string data, string exe) =>
        IsUnder(data, "/tmp") || IsUnder(data, "/var/tmp") || IsUnder(exe, "/tmp") || IsUnder(exe, "/var/tmp")
            ? "# No PrivateTmp: the data directory or the executable is under /tmp or /var/tmp, which PrivateTmp would hide."
            : "PrivateTmp=yes";

    private static bool IsUnder(string path, string root) => path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
