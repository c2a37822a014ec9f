from django.core.management.base import BaseCommand, CommandError

from bench import loadrun


class Command(BaseCommand):
    help = (
        "이 컴퓨터에서 실행 중인 포털(gunicorn 등)에 정해진 시간 동안 부하를 주고(대시보드, 과제 표, 보고 저장), "
        "처리량·p50/p95·오류를 출력한 뒤 성공한 저장이 모두 데이터베이스에 있는지 확인합니다. "
        "서버와 같은 DATABASE_URL로, generate_synthetic으로 만든 시험용 데이터베이스에서 실행하세요."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8001", help="서버 주소 (127.0.0.1만 허용)")
        parser.add_argument("--users", type=int, default=50, help="동시 사용자 수 (기본 50)")
        parser.add_argument("--reviewers", type=int, default=10, help="그중 검토자 수 (기본 10)")
        parser.add_argument("--seconds", type=float, default=60, help="부하 시간(초, 기본 60)")
        parser.add_argument("--timeout", type=float, default=120, help="요청 하나의 제한 시간(초)")

    def handle(self, *args, url: str, users: int, reviewers: int, seconds: float, timeout: float, **options):
        try:
            loadrun.check_loopback(url)
            virtual, password, plan = loadrun.prepare(users=users, reviewers=reviewers)
            self.stdout.write(
                f"부하 실행: {url}, 사용자 {len(virtual)}명 (검토자 {reviewers}, 담당자 {len(virtual) - reviewers}), "
                f"{seconds:g}초, {plan.year}년 계획"
            )
            result = loadrun.run(url=url, users=virtual, password=password, plan=plan, seconds=seconds, timeout=timeout)
        except loadrun.LoadRunRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"로그인 {len(virtual)}명: {result.login_seconds:.1f}초 (측정 시간에서 제외)")
        for line in loadrun.summary(result):
            self.stdout.write(line)
        found, missing = loadrun.verify(result)
        self.stdout.write(
            f"저장 확인: 성공 응답 {len(result.saves):,}건 중 {found:,}건이 DB 이력에 있음, 누락 {len(missing)}건"
        )
        failures = [f for u in result.users for f in u.failures][:5]
        for failure in failures:
            self.stdout.write(f"  오류 예: {failure}")
        if result.errors or missing:
            raise CommandError(f"오류 {result.errors}건, 저장 누락 {len(missing)}건")
        self.stdout.write(self.style.SUCCESS("오류 0건, 저장 누락 0건"))
