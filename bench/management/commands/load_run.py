from django.core.management.base import BaseCommand, CommandError

from bench import loadrun

P95_TARGET = 0.5  # seconds, with a 1 s pause between a user's requests
SHARE_TARGET = 0.25  # of the trivial view's requests per second, closed loop


class Command(BaseCommand):
    help = (
        "이 컴퓨터에서 실행 중인 포털(gunicorn 등)에 Locust(헤드리스, 별도 프로세스)로 정해진 시간 동안 부하를 주고"
        "(로그인 양식으로 로그인, 대시보드, 과제 표, 보고 저장), 처리량·p50/p95·오류를 출력한 뒤 성공한 저장이 모두 "
        "데이터베이스에 있는지 확인합니다. 쉼 없는 실행(--pause 0)은 같은 서버의 빈 화면 처리량을 먼저 재어 옆에 "
        "둡니다. 서버와 같은 DATABASE_URL로, generate_synthetic으로 만든 시험용 데이터베이스에서 실행하세요."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8001", help="서버 주소 (127.0.0.1만 허용)")
        parser.add_argument("--users", type=int, default=50, help="동시 사용자 수 (기본 50)")
        parser.add_argument("--reviewers", type=int, default=10, help="그중 검토자 수 (기본 10)")
        parser.add_argument("--seconds", type=float, default=60, help="부하 시간(초, 기본 60; 로그인 제외)")
        parser.add_argument("--pause", type=float, default=0, help="사용자마다 요청 사이 쉬는 시간(초, 기본 0)")
        parser.add_argument(
            "--trivial-seconds", type=float, help="빈 화면을 잴 시간(초; 기본: 쉼 없는 실행이면 --seconds, 아니면 0)"
        )
        parser.add_argument("--timeout", type=float, default=120, help="요청 하나의 제한 시간(초)")

    def handle(self, *args, url: str, users: int, reviewers: int, seconds: float, pause: float, **options):
        trivial_seconds = options["trivial_seconds"]
        if trivial_seconds is None:
            trivial_seconds = seconds if pause == 0 else 0
        try:
            loadrun.check_loopback(url)
            accounts, password, plan = loadrun.prepare(users=users, reviewers=reviewers)
            self.stdout.write(
                f"부하 실행(Locust): {url}, 사용자 {len(accounts)}명 (검토자 {reviewers}, 담당자 "
                f"{len(accounts) - reviewers}), {seconds:g}초, 요청 사이 {pause:g}초, {plan.year}년 계획"
            )
            run = dict(url=url, password=password, plan=plan, pause=pause, timeout=options["timeout"])
            trivial = None
            if trivial_seconds:
                trivial = loadrun.run(accounts=accounts, seconds=trivial_seconds, user_class="TrivialUser", **run)
            result = loadrun.run(accounts=accounts, seconds=seconds, **run)
        except loadrun.LoadRunRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self._report(result, trivial, pause)

    def _report(self, result: loadrun.Result, trivial: loadrun.Result | None, pause: float) -> None:
        self.stdout.write(f"로그인 {len(result.logins):,}건 (측정 시간에서 제외)")
        for line in loadrun.summary(result):
            self.stdout.write(line)
        problems = [f for r in (trivial, result) if r for f in loadrun.failures(r)]
        errors = result.errors + (trivial.errors if trivial else 0)
        if trivial:
            share = result.rate / trivial.rate if trivial.rate else 0
            verdict = "충족" if share >= SHARE_TARGET else "미달"
            self.stdout.write(
                f"빈 화면(같은 서버, 같은 사용자 수): {trivial.rate:.1f} 요청/초, 오류 {trivial.errors}건; "
                f"포털은 그 {share:.0%} (목표 ≥ {SHARE_TARGET:.0%}: {verdict})"
            )
        if pause >= 1:
            high = loadrun.p95(result)
            verdict = "충족" if high < P95_TARGET else "미달"
            self.stdout.write(f"p95 {high * 1000:,.0f} ms (목표 < {P95_TARGET * 1000:.0f} ms: {verdict})")
        found, missing = loadrun.verify(result)
        self.stdout.write(
            f"저장 확인: 성공 응답 {len(result.saves):,}건 중 {found:,}건이 DB 이력에 있음, 누락 {len(missing)}건"
        )
        for problem in problems:
            self.stdout.write(f"  오류 예: {problem}")
        if errors or missing:
            raise CommandError(f"오류 {errors}건, 저장 누락 {len(missing)}건")
        self.stdout.write(self.style.SUCCESS("오류 0건, 저장 누락 0건"))
