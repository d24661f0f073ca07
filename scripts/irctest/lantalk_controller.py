"""irctest controller for lantalk-server's IRC gateway (issue 17).

Lives in the LanTalk repo, not in irctest: `make irctest` puts this folder on PYTHONPATH and passes
`--controller lantalk_controller`. It starts the PUBLISHED server binary (LANTALK_SERVER, default
dist/linux-x64/lantalk-server) on loopback with a fresh data directory per test, the IRC gateway on the port
irctest picked, guests on with an empty prefix (irctest's clients do not log in and expect their nick), and
creates accounts with `lantalk-server user add NAME --password-stdin`, so the SASL tests run instead of skipping.
"""

import os
import subprocess
from pathlib import Path
from typing import Optional, Set, Type

from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    NotImplementedByController,
)

REPO = Path(__file__).resolve().parents[2]
SERVER = Path(os.environ.get("LANTALK_SERVER", REPO / "dist" / "linux-x64" / "lantalk-server"))

SETTINGS = """<?xml version="1.0" encoding="utf-8"?>
<Settings>
  <ListenAddress>{hostname}</ListenAddress>
  <Port>{main_port}</Port>
  <TlsMode>Off</TlsMode>
  <Discovery>Off</Discovery>
  <IrcPort>{port}</IrcPort>
  <IrcServerName>My.Little.Server</IrcServerName>
  <AllowGuests>true</AllowGuests>
  <GuestPrefix></GuestPrefix>
  <MaxClients>1000</MaxClients>
  <MaxConnectionsPerAddress>1000</MaxConnectionsPerAddress>
  <MaxPendingLoginsPerAddress>1000</MaxPendingLoginsPerAddress>
  <MaxPendingLogins>1000</MaxPendingLogins>
  <!-- irctest's passwords are short ("sesame") and its tests must not wait on PBKDF2. -->
  <MinPasswordLength>1</MinPasswordLength>
  <PasswordIterations>1000</PasswordIterations>
  <!-- irctest's flood tests expect a client to send a burst of commands at once. -->
  <MessageBurst>200</MessageBurst>
  <MessageRatePerSecond>100</MessageRatePerSecond>
</Settings>
"""


class LanTalkController(BaseServerController, DirectoryBasedController):
    software_name = "LanTalk"
    supported_sasl_mechanisms: Set[str] = {"PLAIN"}
    supports_sts = False

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
    ) -> None:
        assert self.proc is None
        if ssl:
            raise NotImplementedByController("TLS (IrcTlsPort works, but this controller runs plaintext)")
        if password is not None:
            # PASS carries a LanTalk user:password, not a server-wide password.
            raise NotImplementedByController("server passwords")
        self.port = port
        self.hostname = hostname
        self.create_config()
        (_, main_port) = self.get_hostname_and_port()
        with self.open_file("Settings.xml", "w") as fd:
            fd.write(SETTINGS.format(hostname=hostname, port=port, main_port=main_port))
        assert self.directory
        self.proc = self.execute(
            [str(SERVER), "run", "--data", str(self.directory)],
            stdin=subprocess.DEVNULL,
        )

    def wait_for_services(self) -> None:
        # Accounts live in the server itself (Users.xml); there are no separate services to wait for.
        pass

    def registerUser(
        self,
        case,  # type: ignore
        username: str,
        password: Optional[str] = None,
    ) -> None:
        assert self.directory
        subprocess.run(
            [str(SERVER), "user", "add", username, "--password-stdin", "--data", str(self.directory)],
            input=(password or "password") + "\n",
            text=True,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def get_irctest_controller_class() -> Type[LanTalkController]:
    return LanTalkController
