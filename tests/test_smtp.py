"""Sending over a real aiosmtpd on loopback: verified STARTTLS and smtps, AUTH, 4xx/5xx, partial refusal."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from tests.servers.ports import free_port
from tests.servers.smtp import SmtpServer
from tests.servers.tls import TestPki
from tests.smtp_fixtures import SMTP_USER
from triage.adapters.smtp import ORIGINAL_TO_HEADER, SmtpSender
from triage.errors import ConfigError, PermanentSendError, SendAuthError, TemporarySendError
from triage.replies.compose import Original, compose_reply, make_message_id
from triage.replies.templates import RenderedReply
from triage.settings import SmtpSettings

PASSWORD = "correct horse battery staple"
APPLICANT = "volunteer@mail.example"
BODY = "Дякуємо за Ваш лист. Private body text 7c1f.\n"


def reply(to: str = APPLICANT, token: str = "t1") -> EmailMessage:
    rendered = RenderedReply(subject="Заяву отримано", body=BODY, language="uk", template="application/uk",
                             template_sha256="0" * 64)
    return compose_reply(rendered, sender="Embassy of Ukraine in Poland <emb_pl@mfa.example>", to_address=to,
                         original=Original("<a1@mail.example>", "Application"),
                         message_id=make_message_id("mfa.example", token),
                         date=datetime(2022, 3, 2, tzinfo=UTC), embassy_code="pl")


_open: list[SmtpSender] = []


@pytest.fixture(autouse=True)
def _close_senders(make_smtp: Callable[..., SmtpServer]) -> Iterator[None]:
    """Close every sender a test made, before its servers stop (aiosmtpd leaks a live STARTTLS session)."""
    yield
    while _open:
        _open.pop().close()


def sender_for(server: SmtpServer, pki: TestPki | None, password: str = PASSWORD,
               **settings: Any) -> SmtpSender:
    values: dict[str, Any] = {"url": server.url, "from": "Embassy <legion@mail.embassy.example>"}
    if server.users:
        values["username"] = SMTP_USER
    if pki is not None:
        values["ca_file"] = pki.ca_file
    values.update(settings)
    sender = SmtpSender(SmtpSettings.model_validate(values), password, timeout=5,
                        local_hostname="client.example")
    _open.append(sender)
    return sender


def test_send_over_starttls_verified_by_test_ca_delivers_and_authenticates(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    sender = sender_for(smtp_server, smtp_pki)
    result = sender.send(reply(), [APPLICANT])
    sender.close()
    assert result.accepted == (APPLICANT,)
    assert result.refused == ()
    assert result.message_id == "<triage.t1@mfa.example>"
    assert result.reply.startswith("250 ")
    [received] = smtp_server.received
    assert received.tls and received.login == SMTP_USER
    assert received.mail_from == "legion@mail.embassy.example"  # the SMTP account's address, from [smtp]
    assert received.rcpt_tos == [APPLICANT]
    message = received.message()
    assert message["Message-ID"] == "<triage.t1@mfa.example>"
    assert message.get_content().replace("\r\n", "\n") == BODY


def test_starttls_without_the_test_ca_is_refused_before_login(smtp_server: SmtpServer) -> None:
    sender = sender_for(smtp_server, None)
    with pytest.raises(TemporarySendError, match="certificate not trusted") as caught:
        sender.send(reply(), [APPLICANT])
    assert not caught.value.permanent and not caught.value.maybe_sent
    assert smtp_server.received == []


def test_login_with_wrong_password_raises_auth_error_that_keeps_the_draft(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    sender = sender_for(smtp_server, smtp_pki, password="wrong")
    with pytest.raises(SendAuthError) as caught:
        sender.send(reply(), [APPLICANT])
    assert caught.value.code == 535
    assert not caught.value.permanent
    assert smtp_server.received == []


def test_server_without_starttls_is_refused_when_starttls_is_required(
        make_smtp: Callable[..., SmtpServer]) -> None:
    server = make_smtp(tls="none")
    with pytest.raises(TemporarySendError, match="does not offer STARTTLS"):
        sender_for(server, None).send(reply(), [APPLICANT])
    assert server.received == []


def test_plain_smtp_to_loopback_without_starttls_delivers(make_smtp: Callable[..., SmtpServer]) -> None:
    server = make_smtp(tls="none")
    result = sender_for(server, None, starttls=False).send(reply(), [APPLICANT])
    assert result.accepted == (APPLICANT,)
    assert not server.received[0].tls


def test_plain_smtp_to_remote_host_is_a_config_error() -> None:
    settings = SmtpSettings.model_validate({"url": "smtp://mail.embassy.example:25", "starttls": False})
    with pytest.raises(ConfigError, match="starttls"):
        SmtpSender(settings)


def test_smtps_with_implicit_tls_delivers(make_smtp: Callable[..., SmtpServer], smtp_pki: TestPki) -> None:
    server = make_smtp(tls="implicit", users={SMTP_USER: PASSWORD})
    result = sender_for(server, smtp_pki).send(reply(), [APPLICANT])
    assert result.accepted == (APPLICANT,)
    [received] = server.received
    assert received.tls and received.login == SMTP_USER


def test_smtps_without_the_test_ca_is_refused(make_smtp: Callable[..., SmtpServer]) -> None:
    server = make_smtp(tls="implicit")
    with pytest.raises(TemporarySendError, match="certificate not trusted"):
        sender_for(server, None).send(reply(), [APPLICANT])


def test_data_reply_4xx_raises_temporary_error_not_maybe_sent(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.data_reply = "451 4.3.0 Try again later"
    with pytest.raises(TemporarySendError) as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    assert (caught.value.code, caught.value.permanent, caught.value.maybe_sent) == (451, False, False)
    assert "Try again later" in caught.value.reply


def test_data_reply_5xx_raises_permanent_error_with_server_reason(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.data_reply = "554 5.7.1 Message rejected: policy"
    with pytest.raises(PermanentSendError) as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    assert caught.value.permanent and caught.value.code == 554
    assert caught.value.reply == "5.7.1 Message rejected: policy"
    assert "554 5.7.1 Message rejected: policy" in str(caught.value)


def test_sender_refused_with_5xx_raises_permanent_error(smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.mail_reply = "553 5.7.1 Sender address rejected: not owned by user"
    with pytest.raises(PermanentSendError, match="sender refused") as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    assert caught.value.code == 553


def test_partially_refused_recipients_are_listed_with_codes(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.rcpt_replies["gone@mail.example"] = "550 5.1.1 No such user"
    smtp_server.handler.rcpt_replies["full@mail.example"] = "452 4.2.2 Mailbox full"
    result = sender_for(smtp_server, smtp_pki).send(
        reply(), ["gone@mail.example", APPLICANT, "full@mail.example"])
    assert result.accepted == (APPLICANT,)
    assert [(r.address, r.code, r.permanent) for r in result.refused] == [
        ("gone@mail.example", 550, True), ("full@mail.example", 452, False)]
    assert result.refused[0].reply == "5.1.1 No such user"
    assert [r.rcpt_tos for r in smtp_server.received] == [[APPLICANT]]


def test_every_recipient_refused_permanently_raises_permanent_error(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.rcpt_replies[APPLICANT] = "550 5.1.1 No such user"
    with pytest.raises(PermanentSendError, match="every recipient refused") as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    assert caught.value.code == 550
    assert smtp_server.received == []


def test_every_recipient_refused_with_one_4xx_raises_temporary_error(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.rcpt_replies[APPLICANT] = "550 5.1.1 No such user"
    smtp_server.handler.rcpt_replies["full@mail.example"] = "452 4.2.2 Mailbox full"
    with pytest.raises(TemporarySendError) as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT, "full@mail.example"])
    assert caught.value.code == 452


def test_refused_message_leaves_the_connection_usable_for_the_next(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    sender = sender_for(smtp_server, smtp_pki)
    smtp_server.handler.data_reply = "554 5.7.1 No"
    with pytest.raises(PermanentSendError):
        sender.send(reply(token="a"), [APPLICANT])
    smtp_server.handler.data_reply = None
    sender.send(reply(token="b"), [APPLICANT])
    sender.send(reply(token="c"), [APPLICANT])
    sender.close()
    assert [r.message()["Message-ID"] for r in smtp_server.received] == [
        "<triage.b@mfa.example>", "<triage.c@mfa.example>"]


def test_connection_lost_after_data_is_temporary_and_maybe_sent(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    smtp_server.handler.drop_after_data = True
    with pytest.raises(TemporarySendError) as caught:
        sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    assert caught.value.maybe_sent
    assert len(smtp_server.received) == 1  # it did arrive: sending it again would be a duplicate


def test_sender_reconnects_when_the_server_dropped_the_idle_connection(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    sender = sender_for(smtp_server, smtp_pki)
    sender.send(reply(token="a"), [APPLICANT])
    smtp_server.handler.drop_after_data = True
    with pytest.raises(TemporarySendError):
        sender.send(reply(token="b"), [APPLICANT])
    smtp_server.handler.drop_after_data = False
    sender.send(reply(token="c"), [APPLICANT])
    sender.close()
    assert len(smtp_server.received) == 3


def test_unreachable_server_raises_temporary_error() -> None:
    settings = SmtpSettings.model_validate({"url": f"smtp://127.0.0.1:{free_port()}", "starttls": False})
    sender = SmtpSender(settings, timeout=2)
    _open.append(sender)
    with pytest.raises(TemporarySendError, match="cannot connect"):
        sender.send(reply(), [APPLICANT])


def test_devmode_redirect_replaces_every_recipient_and_names_the_originals(
        smtp_server: SmtpServer, smtp_pki: TestPki) -> None:
    sender = sender_for(smtp_server, smtp_pki, devmode_redirect_to="Tester <tester@dev.example>")
    message = reply()
    result = sender.send(message, [APPLICANT, "friend@mail.example"])
    assert result.redirected_to == "tester@dev.example"
    assert result.accepted == ("tester@dev.example",)
    [received] = smtp_server.received
    assert received.rcpt_tos == ["tester@dev.example"]
    delivered = received.message()
    assert delivered["To"] == "tester@dev.example"
    assert delivered[ORIGINAL_TO_HEADER] == f"{APPLICANT}, friend@mail.example"
    assert message["To"].addresses[0].addr_spec == APPLICANT  # the caller's message is left alone


def test_send_never_logs_password_body_or_recipient(
        smtp_server: SmtpServer, smtp_pki: TestPki, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sender_for(smtp_server, smtp_pki).send(reply(), [APPLICANT])
    with pytest.raises(SendAuthError) as caught:
        sender_for(smtp_server, smtp_pki, password="wrong-secret-x9").send(reply(), [APPLICANT])
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("triage"))
    text = ours + str(caught.value)
    assert "sent <triage.t1@mfa.example>" in ours
    for secret in (PASSWORD, "wrong-secret-x9", "Private body text", APPLICANT):
        assert secret not in text
