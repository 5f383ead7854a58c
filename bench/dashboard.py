"""Dashboard speed on a province-sized plan, beside the floor measured in the same run.

Run: ``.venv/bin/python bench/dashboard.py [--postgres] [--rebuild] [--requests N]``.
Not part of the test suite.

The dataset (130 units, 10 tasks, ~770 assignments, 50,000 reports) is generated once into a
separate database: ``var/bench/dashboard.sqlite3`` and, with ``--postgres``, the database
``kehoach_bench`` on 127.0.0.1 (user postgres). A real server (Django's threaded WSGI server, as
``kehoach runserver --noreload`` uses, DEBUG off) runs in a child process; this process signs in
as the coordinator and times, over the same HTTP connection:

- the dashboard page ``/theo-doi/<plan>/`` (HTML; its two charts are separate ``<img>`` requests,
  timed too), twice: unchanged since the last view (its body comes from the cache, checked
  against the data's stamp with one query), and right after a change (before each request one
  assignment's tally is recomputed, as when a report is accepted: the body is computed again);
- the floor: a trivial view on the same server (same middleware, session and user lookup), and
  the dashboard's own SQL statements replayed directly on a cursor (no ORM, no template).

It prints p50/p95 of each and the ratio of the dashboard to the floor (trivial view + raw SQL).
Targets (issue 5): p95 under 150 ms, within 3× of the floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_URL = f"sqlite:///{BENCH_DIR / 'dashboard.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kehoach_bench"

UNITS, TASKS, REPORTS = 130, 10, 50_000
CODE = "bench"


def setup_django(url: str) -> None:
    os.environ["KEHOACH_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehoach.settings")
    import django

    django.setup()


def ensure_postgres_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = 'kehoach_bench'").fetchone():
            c.execute("CREATE DATABASE kehoach_bench")


# --- the dataset ------------------------------------------------------------------------------


def build_dataset(*, rebuild: bool) -> int:
    """Generate the plan once; returns its id. Reuses an existing dataset unless ``rebuild``."""
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from kehoach.orgs.models import Membership, OrgUnit, Role, User
    from kehoach.plans.models import Assignment, Deliverable, Plan, Task
    from kehoach.reporting.models import ActivityReport, Channel

    call_command("migrate", verbosity=0)
    existing = Plan.objects.filter(number=f"1/{CODE}").first()
    from kehoach.reporting.models import AssignmentTally
    from kehoach.reporting.progress import refresh_plan_tallies

    reports = ActivityReport.objects.filter(assignment__task__plan=existing)
    if existing and not rebuild and reports.count() == REPORTS:
        if not AssignmentTally.objects.filter(assignment__task__plan=existing).exists():
            refresh_plan_tallies(existing)  # a dataset made before the tallies existed
        return existing.pk
    rng = random.Random(2023)  # noqa: S311 — a reproducible dataset, not security
    today = dt.date.today()  # noqa: DTZ011 — deadlines around the day the bench runs
    with transaction.atomic():
        if existing:
            ActivityReport.deliverables.through.objects.filter(
                activityreport__assignment__task__plan=existing
            ).delete()
            ActivityReport.objects.filter(assignment__task__plan=existing).delete()
            existing.delete()
        Membership.objects.filter(unit__code__startswith=f"{CODE}-").delete()
        OrgUnit.objects.filter(code__startswith=f"{CODE}-").exclude(kind="province").delete()
        province, _ = OrgUnit.objects.get_or_create(
            code=f"{CODE}-province", defaults={"name": "UBND tỉnh Thử Nghiệm", "kind": "province"}
        )
        town = OrgUnit.objects.create(
            code=f"{CODE}-town", name="UBND thị xã Thử Nghiệm", kind="district", parent=province
        )
        office = OrgUnit.objects.create(
            code=f"{CODE}-vp", name="Văn phòng HĐND và UBND", kind="agency", parent=town
        )
        kinds = ["department"] * 39 + ["ward"] * 30 + ["commune"] * 50 + ["sociopolitical"] * 9
        units = [town, office] + OrgUnit.objects.bulk_create(
            OrgUnit(code=f"{CODE}-u{i}", name=f"Đơn vị thử {i:03d}", kind=kind, parent=town)
            for i, kind in enumerate(kinds)
        )
        assert len(units) == UNITS
        user, _ = User.objects.get_or_create(username=f"{CODE}-coordinator")
        Membership.objects.get_or_create(user=user, unit=office, role=Role.COORDINATOR)

        plan = Plan.objects.create(
            issuer_unit=town,
            issuer_name=town.name,
            number=f"1/{CODE}",
            year=today.year,
            title="Kế hoạch thử tải bảng theo dõi",
            deadline=today + dt.timedelta(days=30),
            deadline_kind="date",
        )
        offsets = [-60, -30, -10, 5, 10, 20, 40, 60, 90, 120]
        tasks = Task.objects.bulk_create(
            Task(
                plan=plan,
                position=i + 1,
                code=f"II.{i + 1}",
                title=f"Nhiệm vụ thử {i + 1}",
                deadline_kind="date",
                deadline=today + dt.timedelta(days=offsets[i]),
            )
            for i in range(TASKS)
        )
        deliverables = {}
        for task in tasks:
            rows = [
                Deliverable(task=task, position=p + 1, text=f"Sản phẩm {p + 1}", target=t)
                for p, t in enumerate(rng.choice([[None], [1], [None, 2], [1, None, 3], [4]]))
            ]
            deliverables[task.pk] = Deliverable.objects.bulk_create(rows)
        departments = [u for u in units if u.kind in ("department", "agency")]
        locals_ = [u for u in units if u.kind in ("ward", "commune")]
        orgs = [u for u in units if u.kind == "sociopolitical"]
        everyone = units[1:]
        plan_of = [
            (everyone, []),
            (departments, orgs),
            (locals_, []),
            ([office], [u for u in everyone if u != office]),
            (locals_, departments),
            (orgs, [office]),
            ([office, departments[1]], []),
            (everyone, []),
            (locals_, []),
            (departments, []),
        ]
        assignments = []
        for task, (leads, supports) in zip(tasks, plan_of, strict=True):
            lead_ids = {u.pk for u in leads}
            assignments += [Assignment(task=task, unit=u, role="lead") for u in leads]
            assignments += [
                Assignment(task=task, unit=u, role="support")
                for u in supports
                if u.pk not in lead_ids
            ]
        assignments = Assignment.objects.bulk_create(assignments)
        channel = Channel.objects.first()
        statuses = ["accepted"] * 55 + ["submitted"] * 15 + ["returned"] * 10 + ["draft"] * 20
        weights = [5 if a.role == "lead" else 1 for a in assignments]
        reports = []
        for a in rng.choices(assignments, weights=weights, k=REPORTS):
            day = today - dt.timedelta(days=rng.randint(0, 300))
            reports.append(
                ActivityReport(
                    assignment=a,
                    status=rng.choice(statuses),
                    started_on=day,
                    channel=channel,
                    description="[BENCH]",
                    created_by=user,
                )
            )
        reports = ActivityReport.objects.bulk_create(reports, batch_size=2000)
        through = ActivityReport.deliverables.through
        links = []
        task_of = {a.pk: a.task_id for a in assignments}
        for r in reports:
            options = deliverables[task_of[r.assignment_id]]
            for d in rng.sample(options, k=rng.randint(1, len(options))):
                links.append(through(activityreport_id=r.pk, deliverable_id=d.pk))
        through.objects.bulk_create(links, batch_size=5000)
    refresh_plan_tallies(plan)  # bulk writes skip the signals that keep the tallies
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return plan.pk


# --- the server -------------------------------------------------------------------------------


def serve(url: str, port: int) -> None:
    """The child process: our WSGI app plus one trivial view, on Django's threaded server."""
    setup_django(url)
    import socketserver
    import types

    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.http import HttpResponse
    from django.urls import path

    import kehoach.urls

    @login_required
    def ping(request):
        return HttpResponse("ok")

    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench/ping/", ping), *kehoach.urls.urlpatterns]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"

    class Quiet(WSGIRequestHandler):
        def setup(self):
            super().setup()
            # The handler writes headers and body separately: without this, Nagle's algorithm
            # and the client's delayed ACK add ~40 ms to every keep-alive response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

    server_cls = type("Server", (socketserver.ThreadingMixIn, WSGIServer), {"daemon_threads": True})
    httpd = server_cls(("127.0.0.1", port), Quiet)
    from kehoach.wsgi import application  # the production entry point, as runserver loads it

    httpd.set_app(application)
    httpd.serve_forever()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the bench server did not start")


# --- measuring --------------------------------------------------------------------------------


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def timed_gets(
    port: int, path: str, cookie: str, n: int, warmup: int = 5, before=None
) -> list[float]:
    """``n`` GETs of ``path`` timed on one keep-alive connection; ``before()`` (untimed) runs
    before each one."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for i in range(n + warmup):
        if before is not None:
            before()
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if i >= warmup:
            times.append(elapsed)
    conn.close()
    return times


def _second_factor(client, user) -> None:
    """Sign the bench coordinator in as after a real login with the authenticator app."""
    from kehoach.orgs import twofactor

    if not twofactor.requires_2fa(user):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure(url: str, *, rebuild: bool, n: int) -> dict:
    setup_django(url)
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from kehoach.monitoring import queries
    from kehoach.orgs.models import User
    from kehoach.plans.models import Plan
    from kehoach.plans.progress import local_today
    from kehoach.reporting.models import ActivityReport

    started = time.perf_counter()
    plan_id = build_dataset(rebuild=rebuild)
    built = time.perf_counter() - started
    plan = Plan.objects.get(pk=plan_id)
    user = User.objects.get(username=f"{CODE}-coordinator")
    client = Client()
    client.force_login(user)
    _second_factor(client, user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    # The dashboard's own SQL, captured once, replayed directly on a cursor.
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        data = queries.dashboard(plan, user, today=local_today())
    # What the stored tallies save each page (the aggregates over every report of the plan) and
    # what they cost each change (one assignment's aggregates, run when one of its reports
    # changes), timed on the same data.
    from kehoach.plans.models import Assignment
    from kehoach.reporting.progress import _aggregate, refresh_tallies

    ids = list(Assignment.objects.filter(task__plan=plan).values_list("pk", flat=True))
    aggregate_times = []
    for _ in range(7):
        start = time.perf_counter()
        _aggregate(ids)
        aggregate_times.append((time.perf_counter() - start) * 1000)
    refresh_times = []
    for assignment_id in random.Random(5).sample(ids, 40):
        start = time.perf_counter()
        with transaction.atomic():
            refresh_tallies([assignment_id])
        refresh_times.append((time.perf_counter() - start) * 1000)

    sql_times = []
    for i in range(n + 5):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        if i >= 5:
            sql_times.append((time.perf_counter() - start) * 1000)
    data_times = []
    for i in range(min(n, 30) + 2):
        start = time.perf_counter()
        queries.dashboard(plan, user, today=local_today())
        if i >= 2:
            data_times.append((time.perf_counter() - start) * 1000)
    connection.close()

    port = free_port()
    env = {**os.environ, "KEHOACH_DATABASE_URL": url, "KEHOACH_DEBUG": ""}
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--url", url], env=env, cwd=ROOT
    )
    try:
        wait_for(port)
        page = f"/theo-doi/{plan_id}/"
        ping = timed_gets(port, "/bench/ping/", cookie, n)
        # Nothing changed since the last view: the body comes from the cache (the data settled
        # when the dataset was made, and the tallies recomputed above settle in 10 s).
        time.sleep(settings.DASHBOARD_SETTLE_SECONDS)
        dashboard = timed_gets(port, page, cookie, n)
        # The first view after a change: before each request, one assignment's tally is
        # recomputed (as when one of its reports is accepted), so the stamp moves and the body
        # is computed again: what a coordinator sees right after reviewing a report.
        changes = iter(random.Random(9).choices(ids, k=n + 10))

        def change() -> None:
            with transaction.atomic():
                refresh_tallies([next(changes)])

        changed = timed_gets(port, page, cookie, n, before=change)
        from kehoach.monitoring.views.dashboard import _chart_urls

        chart_paths = list(_chart_urls(data).values())
        charts = [timed_gets(port, p, cookie, max(n // 3, 10)) for p in chart_paths]
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "load": os.getloadavg(),
        "backend": connection.vendor,
        "reports": ActivityReport.objects.filter(assignment__task__plan=plan).count(),
        "units": len(data.units),
        "assignments": len(data.progress.assignments),
        "statements": len(statements),
        "build_s": round(built, 1),
        "ping": percentiles(ping),
        "sql": percentiles(sql_times),
        "aggregate": percentiles(aggregate_times),
        "refresh": percentiles(refresh_times),
        "data": percentiles(data_times),
        "dashboard": percentiles(dashboard),
        "changed": percentiles(changed),
        "charts": [percentiles(c) for c in charts],
    }


def report(result: dict) -> None:
    ping, sql, dash = result["ping"], result["sql"], result["dashboard"]
    floor = (ping[0] + sql[0], ping[1] + sql[1])
    print(
        f"\n== {result['backend']}: {result['units']} units, {result['assignments']} assignments, "
        f"{result['reports']:,} reports (dataset ready in {result['build_s']} s); "
        f"load average {result['load'][0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'':32}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'trivial view (same server)':32}{ping[0]:10.1f}{ping[1]:10.1f}")
    print(
        f"{'raw SQL (' + str(result['statements']) + ' statements)':32}{sql[0]:10.1f}{sql[1]:10.1f}"
    )
    print(f"{'floor = trivial view + raw SQL':32}{floor[0]:10.1f}{floor[1]:10.1f}")
    print(f"{'dashboard data (ORM, no HTTP)':32}{result['data'][0]:10.1f}{result['data'][1]:10.1f}")
    print(
        f"{'dashboard page, unchanged (HTTP)':32}{dash[0]:10.1f}{dash[1]:10.1f}   (body from the cache)"
    )
    changed = result["changed"]
    print(
        f"{'dashboard page, after a change':32}{changed[0]:10.1f}{changed[1]:10.1f}"
        "   (body computed: the first view after a report is reviewed)"
    )
    for name, c in zip(
        ("chart: tasks (SVG)", "chart: months (SVG)"), result["charts"], strict=False
    ):
        print(f"{name:32}{c[0]:10.1f}{c[1]:10.1f}")
    print(
        f"{'  without tallies: aggregates':32}{result['aggregate'][0]:10.1f}"
        f"{result['aggregate'][1]:10.1f}   (over every report, what each page would run)"
    )
    print(
        f"{'  cost per report change':32}{result['refresh'][0]:10.1f}{result['refresh'][1]:10.1f}"
        "   (one assignment's tally recomputed, in the change's transaction)"
    )
    for label, (p50, p95) in (("unchanged", dash), ("after a change", changed)):
        print(
            f"ratio dashboard {label} / floor: p50 {p50 / floor[0]:.2f}×, p95 {p95 / floor[1]:.2f}×"
            f"  (targets: p95 < 150 ms: {'met' if p95 < 150 else 'NOT met'}; "
            f"≤ 3×: {'met' if p95 / floor[1] <= 3 else 'NOT met'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL")
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.url, args.serve)
        return
    if args.measure:  # one backend per process: Django is set up once per process
        print(json.dumps(measure(args.url, rebuild=args.rebuild, n=args.requests)))
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    urls = [SQLITE_URL]
    if args.postgres:
        ensure_postgres_database()
        urls.append(POSTGRES_URL)
    for url in urls:
        command = [sys.executable, __file__, "--measure", "--url", url]
        command += ["--requests", str(args.requests)] + (["--rebuild"] if args.rebuild else [])
        out = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
        report(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
