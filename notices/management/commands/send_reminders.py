from django.core.management.base import BaseCommand

from notices.services import reminders_send


class Command(BaseCommand):
    help = "Send today's deadline reminders and overdue escalations (each once a step and day)."

    def handle(self, *args, **options):
        made = reminders_send()
        self.stdout.write(f"{made}")
