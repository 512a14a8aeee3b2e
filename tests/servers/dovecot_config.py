"""The dovecot.conf of a test server, and the users its processes run as."""

from __future__ import annotations

import grp
import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from tests.servers.ports import LOOPBACK
from tests.servers.tls import TestPki


@dataclass(frozen=True)
class Layout:
    """Where one test server keeps its files, all under ``root``."""

    root: Path
    instance: str

    @property
    def config_file(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log_file(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def stderr_file(self) -> Path:
        return self.root / "stderr.log"

    @property
    def users_dir(self) -> Path:
        return self.root / "users"

    @property
    def home_dir(self) -> Path:
        return self.root / "home"

    @property
    def tls_dir(self) -> Path:
        return self.root / "tls"


@dataclass(frozen=True)
class MailOwner:
    """The account that owns the mailboxes, and the settings that make Dovecot use it."""

    uid: int
    gid: int
    settings: str = ""
    service_settings: str = ""


def mail_owner() -> MailOwner:
    """Return ``nobody`` when running as root (Dovecot refuses root mail processes), else the current user."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return MailOwner(nobody.pw_uid, nobody.pw_gid)
    # Without root every Dovecot process runs as the current user, and nothing can chroot().
    me = pwd.getpwuid(os.geteuid())
    group = grp.getgrgid(me.pw_gid).gr_name
    return MailOwner(
        me.pw_uid,
        me.pw_gid,
        settings=(
            f"default_login_user = {me.pw_name}\ndefault_internal_user = {me.pw_name}\n"
            f"default_internal_group = {group}\n"
        ),
        service_settings="  chroot =\n",
    )


def render(
    layout: Layout, owner: MailOwner, pki: TestPki, *, imap_port: int, imaps_port: int, extra: str = ""
) -> str:
    """Return a dovecot.conf that keeps every file under ``layout.root`` and listens only on loopback."""
    return f"""\
# Generated for one test server; everything it writes stays under {layout.root}.
instance_name = {layout.instance}
base_dir = {layout.root}/run
state_dir = {layout.root}/state
log_path = {layout.log_file}
{owner.settings}
protocols = imap
listen = {LOOPBACK}
ssl = yes
ssl_cert = <{pki.cert_file}
ssl_key = <{pki.key_file}
# Loopback only: allow LOGIN/PLAIN before STARTTLS so tests can use the plain port directly.
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# Answer a failed login without the usual 2 s delay (failures are still flushed every 0.5 s).
auth_failure_delay = 0

# Dovecot's default first_valid_uid (500) happens to admit nobody (65534); say what is meant instead.
first_valid_uid = 1
first_valid_gid = 1
mail_uid = {owner.uid}
mail_gid = {owner.gid}
# LAYOUT=fs: folders are plain directories, so names may contain dots (Maildir++ forbids them).
mail_location = maildir:~/Maildir:LAYOUT=fs
mail_fsync = never
# IDLE falls back to polling every this often when inotify misses a change.
mailbox_idle_check_interval = 1 secs
namespace inbox {{
  inbox = yes
  separator = /
}}

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {layout.users_dir}/%u
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {layout.users_dir}/%u
  default_fields = uid={owner.uid} gid={owner.gid} home={layout.home_dir}/%u
}}

protocol imap {{
  mail_max_userip_connections = 100
}}
# No auth penalty: after a failed login Dovecot would delay every later login from the same address
# (up to 15 s), and every test connects from 127.0.0.1.
service anvil {{
{owner.service_settings}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{owner.service_settings}  inet_listener imap {{
    address = {LOOPBACK}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {LOOPBACK}
    port = {imaps_port}
    ssl = yes
  }}
}}
{extra}
"""
