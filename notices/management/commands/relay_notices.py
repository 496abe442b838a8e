from django.core.management.base import BaseCommand

from notices.services import notices_relay, notices_sweep


class Command(BaseCommand):
    help = (
        "Make the notices of the acts recorded since the last relay, then those the relay passed "
        "over (what beat has a worker do with a broker; by hand, or from cron without beat)."
    )

    def handle(self, *args, **options):
        relayed, swept = notices_relay(), notices_sweep()
        self.stdout.write(f"{relayed} events relayed, {swept} swept")
