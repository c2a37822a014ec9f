from django.core.management.base import BaseCommand

from reports.notifications import services


class Command(BaseCommand):
    help = "오늘 보낼 알림(보고 기한 안내, 검토 요청, 반려·승인, 새 의견, 검토 대기 요약)을 만들고 메일을 보냅니다."

    def add_arguments(self, parser):
        parser.add_argument("--no-mail", action="store_true", help="알림만 만들고 메일은 보내지 않습니다.")

    def handle(self, *args, **options):
        created = services.remind()
        self.stdout.write(f"새 알림 {created}건")
        if not options["no_mail"]:
            delivery = services.deliver()
            self.stdout.write(
                f"메일 발송 {delivery.sent}건, 실패 {delivery.failed}건 (실패한 메일은 다음 실행 때 다시 보냅니다)"
            )
