"""The ban list keeps keyed hashes of the email and the network, never the address itself:
existing rows are converted (their addresses hashed, then dropped)."""

import ipaddress

from django.db import migrations, models
from django.utils.crypto import salted_hmac

from comments.text import normalise_email


def _hash(kind, value):
    # As comments.models.notice.sender_hash (copied: a migration must not change with the code).
    return salted_hmac(f"comments.banned-sender.{kind}", value, algorithm="sha256").hexdigest()


def _network(value):
    # As aireport.proxies.shorten_ip: IPv4 /24, IPv6 /48.
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def hash_addresses(apps, schema_editor):
    BannedSender = apps.get_model("comments", "BannedSender")
    for ban in BannedSender.objects.all():
        email = normalise_email(ban.email or "")
        network = _network(ban.ip_address) if ban.ip_address else ""
        ban.email_hash = _hash("email", email) if email else ""
        ban.network_hash = _hash("network", network) if network else ""
        ban.save(update_fields=["email_hash", "network_hash"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0017_notice_reporter_network")]

    operations = [
        migrations.RemoveConstraint(
            model_name="bannedsender", name="banned_sender_has_email_or_ip"
        ),
        migrations.AddField(
            model_name="bannedsender",
            name="email_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="bannedsender",
            name="network_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(hash_addresses, migrations.RunPython.noop),
        migrations.RemoveField(model_name="bannedsender", name="email"),
        migrations.RemoveField(model_name="bannedsender", name="ip_address"),
        migrations.AlterField(
            model_name="bannedsender",
            name="reason",
            field=models.CharField(
                blank=True,
                help_text="Nur die Art des Verstoßes (z. B. „wiederholt Werbung“). Keinen Namen, "
                "keine E-Mail-Adresse und nichts, was die Person erkennbar macht.",
                max_length=500,
                verbose_name="Grund",
            ),
        ),
        migrations.AddConstraint(
            model_name="bannedsender",
            constraint=models.CheckConstraint(
                condition=~models.Q(email_hash="") | ~models.Q(network_hash=""),
                name="banned_sender_has_email_or_network",
            ),
        ),
    ]
