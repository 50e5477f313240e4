"""Builds on a real Dask cluster: a scheduler and workers started as separate processes on
127.0.0.1 with the `dask` command of this virtual environment, workers in empty working
directories. Outputs are compared byte for byte with a local build; workers and the
scheduler are killed mid-build; unusable clusters are refused with one line each."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from dask_cluster import Cluster, dask_cluster
from distributed import Client

from pressroom import __version__
from pressroom.build.machine import PROFILE_SECONDS

EPOCH = "1700000000"
#: The sample's locales these tests build: the source and a right-to-left translation
#: (the others add time, not cases).
LOCALES = ("ar", "en")
#: The batch the fault tests run: long enough to interrupt (6 outputs).
BATCH = ("--format", "pdf", "epub", "--edition", "default", "large-print")
BATCH_OUTPUTS = sorted(
    [f"{locale}/muscle-spasms.{name}" for locale in LOCALES
     for name in ("pdf", "epub", "large-print.pdf")])


def make_copy(dest: Path) -> Path:
    project = copy_project(dest)
    for name in ("editions.yaml", "publish.py"):
        shutil.copy(ROOT / name, project / name)
    for folder in (project / "source").iterdir():
        if folder.name not in LOCALES:
            shutil.rmtree(folder)
    return project


#: This checkout's Pressroom, reproducible dates.
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}


def publish(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "publish.py", "build", *args], cwd=project, capture_output=True,
        text=True, check=False, env=ENV, timeout=600)


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "publish.py", "build", *args], cwd=project, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=ENV)


def files(out: Path) -> dict[str, bytes]:
    """Every file of the output folder but the build's article cache (its own record of
    articles as parsed, which names the project's paths)."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()
            and not p.relative_to(out).as_posix().startswith(".pressroom-cache/")}


def outputs(out: Path) -> dict[str, bytes]:
    """The outputs, without the manifest."""
    return {k: v for k, v in files(out).items() if k != ".pressroom-manifest.json"}


def assert_consistent(out: Path) -> dict[str, bytes]:
    """No temporary file; the manifest records exactly the files there, with their digests."""
    found = outputs(out)
    assert not [name for name in found if name.endswith(".tmp")]
    manifest = json.loads((out / ".pressroom-manifest.json").read_text("utf-8"))["outputs"]
    assert sorted(manifest) == sorted(found)
    for name, data in found.items():
        assert manifest[name]["output"] == sha256(data).hexdigest(), name
    return found


@dataclass
class Reference:
    project: Path
    out: dict[str, bytes]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The sample project built locally with SOURCE_DATE_EPOCH set, every edition."""
    project = make_copy(tmp_path_factory.mktemp("reference") / "project")
    result = publish(project, "--out", "local")
    assert result.returncode == 0, result.stderr
    return Reference(project, files(project / "local"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """Two workers, and a scheduler that cannot import Pressroom: it needs only Dask."""
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "no-pressroom" / "pressroom").mkdir(parents=True)
    (folder / "no-pressroom" / "pressroom" / "__init__.py").write_text(
        'raise ImportError("the scheduler must not need Pressroom")\n', "utf-8")
    with dask_cluster(folder, scheduler_env={"PYTHONPATH": str(folder / "no-pressroom")}
                      ) as running:
        yield running


def test_a_cluster_build_is_byte_identical_to_a_local_one(reference: Reference,
                                                         cluster: Cluster) -> None:
    """…and the workers parse the articles too, and take each article and edition's
    leaflet and ebook as one task."""
    from distributed import get_task_stream

    with Client(cluster.address, set_as_default=False) as client, get_task_stream(
            client) as stream:
        result = publish(reference.project, "--out", "remote", "--scheduler",
                         cluster.address)
    assert result.returncode == 0, result.stderr
    tasks = [str(task["key"]).split() for task in stream.data]
    assert [key[1] for key in tasks if key[0] == "pressroom" and key[1] == "parse"] == [
        "parse"]  # both articles (en, ar), in one task
    firsts = {key[1] for key in tasks if key[0] == "pressroom" and key[1] != "parse"}
    for locale in LOCALES:  # the default edition's leaflet carried its ebook with it
        assert f"{locale}/muscle-spasms.pdf" in firsts, sorted(firsts)
        assert f"{locale}/muscle-spasms.epub" not in firsts, sorted(firsts)
    assert result.stderr == ""
    remote = files(reference.project / "remote")
    assert sorted(remote) == sorted(reference.out)
    # Every edition of both locales, the site and the manifest.
    assert {name.split("/")[0] for name in remote} >= {*LOCALES, "pagefind", "assets"}
    assert len([name for name in remote if name.startswith("ar/")]) > 12
    for name, data in reference.out.items():
        assert remote[name] == data, name  # the manifest too: recorded as a local build does
    wrote = sorted(line.removeprefix("wrote remote/") for line in result.stdout.splitlines())
    assert wrote == sorted(name for name in remote if name != ".pressroom-manifest.json")
    # The workers wrote nothing where they run.
    assert [sorted(os.listdir(folder)) for folder in cluster.folders] == [[], []]
    # Each worker keeps the last minute of Dask's statistical profile, not 1,000 busy
    # seconds of it (most of a worker's growth with jobs); the outputs above are unchanged.
    with Client(cluster.address, set_as_default=False) as client:
        kept = client.run(lambda dask_worker: [dask_worker.profile_history.maxlen,
                                               dask_worker.profile_keys_history.maxlen])
    assert list(kept.values()) == [[PROFILE_SECONDS, PROFILE_SECONDS]] * 2


def test_several_articles_to_a_task_make_the_same_bytes(
        reference: Reference, cluster: Cluster, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A large build gives each task several articles' jobs (`groups_per_call`); here one
    task a worker is asked for, so the four article-and-edition groups (ebooks: quick)
    travel two to a task, and every file is the local build's."""
    from distributed import get_task_stream

    from pressroom.build.cluster import ClusterExecutor
    from pressroom.cli.main import main

    monkeypatch.setattr(ClusterExecutor, "TASKS_PER_WORKER", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "batched"
    with Client(cluster.address, set_as_default=False) as client, get_task_stream(
            client) as stream:
        code = main(["build", "--format", "epub", "--edition", "default", "clinic", "--out",
                     str(out), "--scheduler", cluster.address], project_root=reference.project)
    assert code == 0, capsys.readouterr().err
    renders = [str(task["key"]).split()[1] for task in stream.data
               if str(task["key"]).split()[:2] != ["pressroom", "parse"]]
    # Two tasks, each named by its first output: one locale's two editions in each.
    assert sorted(renders) == ["ar/muscle-spasms.clinic.epub", "en/muscle-spasms.clinic.epub"]
    built = assert_consistent(out)
    assert sorted(built) == [f"{locale}/muscle-spasms.{name}" for locale in LOCALES
                             for name in ("clinic.epub", "epub")]
    for name, data in built.items():
        assert data == reference.out[name], name


def test_a_content_error_is_reported_as_by_a_local_build(tmp_path: Path,
                                                         cluster: Cluster) -> None:
    """Found before rendering, as locally; a problem found while rendering (in a layout)
    comes back from the worker with the same path and line as locally."""
    project = make_copy(tmp_path / "project")
    source = project / "source/ar/muscle-spasms.md"
    source.write_text(source.read_text("utf-8").replace("[^kurz]", "[^kurtz]", 1), "utf-8")
    # Parsed on a worker, which has no project: the image is looked for here.
    source.write_text(source.read_text("utf-8") + "\n![تمدد](figures/none.png)\n", "utf-8")
    cover = project / "layouts/epub/cover.xhtml.j2"
    cover.write_text(cover.read_text("utf-8").replace("</section>",
                                                      "</section>\n{{ nothing.there }}"))
    local = publish(project, "--format", "epub", "--out", "local", "--jobs", "1")
    remote = publish(project, "--format", "epub", "--out", "remote", "--scheduler",
                     cluster.address)
    assert local.returncode == remote.returncode == 1
    assert remote.stderr.replace("remote", "local") == local.stderr
    lines = remote.stderr.splitlines()
    cited = next(n for n, text in enumerate(source.read_text("utf-8").splitlines(), 1)
                 if "[^kurtz]" in text)
    assert (f"source/ar/muscle-spasms.md:{cited}: error: note [^kurtz] is cited but never"
            " defined") in lines
    missing = len(source.read_text("utf-8").splitlines())
    assert any(text.startswith(f"source/ar/muscle-spasms.md:{missing}: error: image file"
                               " 'figures/none.png' not found: looked for") for text in lines)
    line = cover.read_text("utf-8").splitlines().index("{{ nothing.there }}") + 1
    assert (f"layouts/epub/cover.xhtml.j2:{line}: error: template error: 'nothing' is"
            " undefined") in lines
    assert not (project / "remote").exists() or outputs(project / "remote") == {}


def test_a_worker_killed_mid_job(reference: Reference, tmp_path: Path) -> None:
    """The job is run again on the other worker; every output is right; no partial file."""
    out = tmp_path / "out"
    with dask_cluster(tmp_path / "cluster") as cluster:
        build = start(reference.project, *BATCH, "--out", str(out), "--scheduler",
                      cluster.address)
        victim = cluster.workers[0]
        address = cluster.addresses[victim.pid]
        with Client(cluster.address, set_as_default=False) as client:
            running = _wait_for_a_job(client, address, build)
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
        stdout, stderr = build.communicate(timeout=600)
    assert build.returncode == 0, stderr
    built = assert_consistent(out)
    assert sorted(built) == BATCH_OUTPUTS
    assert len(stdout.splitlines()) == len(BATCH_OUTPUTS)  # `wrote …`, once each
    for name, data in built.items():
        assert data == reference.out[name], name
    # The job the killed worker was running was finished elsewhere.
    assert running.split()[1] in built


def _wait_for_a_job(client: Client, worker: str, build: subprocess.Popen[str]) -> str:
    """The key of the render job `worker` is running, as soon as it runs one (not a task
    parsing articles: `pressroom parse …`)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()
        keys = client.run(lambda dask_worker: [str(t.key) for t in dask_worker.state.executing],
                          workers=[worker])[worker]
        jobs = [key for key in keys if key.split()[:2] != ["pressroom", "parse"]]
        if jobs:
            return jobs[0]
        time.sleep(0.05)
    raise AssertionError("the worker never ran a job")


def test_the_scheduler_killed_mid_build(reference: Reference, tmp_path: Path) -> None:
    """What finished is written, the rest counted as not built, exit 1, out/ consistent;
    the next build finishes it."""
    out = tmp_path / "out"
    with dask_cluster(tmp_path / "cluster") as cluster:
        build = start(reference.project, *BATCH, "--out", str(out), "--scheduler",
                      cluster.address)
        deadline = time.monotonic() + 300
        while not list(out.glob("*/*.*")):
            assert build.poll() is None, build.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        cluster.scheduler.send_signal(signal.SIGKILL)
        stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 1, stderr
    built = assert_consistent(out)
    assert 0 < len(built) < len(BATCH_OUTPUTS)
    for name, data in built.items():
        assert data == reference.out[name], name
    missing = len(BATCH_OUTPUTS) - len(built)
    assert stderr.splitlines() == [
        f"publish.py: error: lost the Dask scheduler at {cluster.address}: {missing}"
        " output(s) not built; run the build again to build them",
        f"failed: 0 error(s), 0 warning(s); {len(built)} file(s) written",
    ]
    assert len(stdout.splitlines()) == len(built)

    again = publish(reference.project, *BATCH, "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert f"{len(built)} file(s) up to date" in again.stdout.splitlines()
    finished = assert_consistent(out)
    assert sorted(finished) == BATCH_OUTPUTS
    for name, data in finished.items():
        assert data == reference.out[name], name


def test_an_unreachable_scheduler_is_refused_at_once(tmp_path: Path) -> None:
    project = make_copy(tmp_path / "project")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = publish(project, "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.returncode == 2
    assert result.stderr == (f"publish.py: error: cannot reach the Dask scheduler at"
                             f" tcp://127.0.0.1:{port}: Connection refused\n")
    assert result.stdout == ""
    assert not (project / "out").exists()
    result = publish(project, "--scheduler", "127.0.0.1")
    assert result.returncode == 2
    assert result.stderr == ("publish.py: error: cannot reach the Dask scheduler at 127.0.0.1:"
                             " missing port number in address '127.0.0.1'\n")


def test_a_scheduler_without_workers_is_refused(tmp_path: Path) -> None:
    project = make_copy(tmp_path / "project")
    with dask_cluster(tmp_path / "cluster", workers=0) as cluster:
        result = publish(project, "--scheduler", cluster.address)
    assert result.returncode == 2
    assert result.stderr == (
        f"publish.py: error: the Dask scheduler at {cluster.address} has no workers (waited"
        f" 10 s): start them with `dask worker {cluster.address} --nthreads 1`\n")
    assert not (project / "out").exists()


def test_workers_that_would_make_other_bytes_are_refused(tmp_path: Path) -> None:
    """Another Pressroom version, other code under the same version, missing fonts: one
    line each, naming the worker; nothing is built."""
    old = tmp_path / "old" / "pressroom"
    old.mkdir(parents=True)
    (old / "__init__.py").write_text('__version__ = "0.0.9"\n', "utf-8")
    other = tmp_path / "other"
    shutil.copytree(ROOT / "pressroom", other / "pressroom",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # A module in a subfolder of the package: the code check covers every depth.
    with (other / "pressroom" / "core" / "writing.py").open("a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    fonts = tmp_path / "fonts.conf"  # fontconfig that knows DejaVu only
    fonts.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        "<include ignore_missing='yes'>/etc/fonts/conf.d</include>"
        f"<cachedir>{tmp_path / 'fontcache'}</cachedir></fontconfig>", "utf-8")
    project = make_copy(tmp_path / "project")
    with dask_cluster(tmp_path / "cluster", workers=3, worker_env=[
            {"PYTHONPATH": str(old.parent)}, {"PYTHONPATH": str(other)},
            {"FONTCONFIG_FILE": str(fonts)}]) as cluster:
        result = publish(project, "--scheduler", cluster.address)
        old_worker, other_worker, fontless = (cluster.addresses[w.pid] for w in cluster.workers)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    # One line per reason, each naming its worker (how many font lines depends on the
    # fonts this machine has beyond those asserted below).
    assert all(line.startswith("publish.py: error: worker ") for line in lines), lines
    assert (f"publish.py: error: worker {old_worker} runs Pressroom 0.0.9, this machine"
            f" {__version__}: install Pressroom {__version__} on every worker") in lines
    (code,) = [line for line in lines if other_worker in line]
    prefix = (f"publish.py: error: worker {other_worker} runs other code than this machine"
              f" under the same version {__version__} (code ")
    assert code.startswith(prefix)
    theirs, ours = code.removeprefix(prefix).split(" here)")[0].split(" there, ")
    assert len(theirs) == len(ours) == 12 and theirs != ours
    assert code.endswith(" here): install the same release on every worker")
    assert {line for line in lines if fontless in line} >= {
        f"publish.py: error: worker {fontless} lacks the font 'Noto Sans' named in"
        " styles/leaflet.css (it would use DejaVu Sans): install the fonts scripts/setup.sh"
        " installs",
        f"publish.py: error: worker {fontless} lacks the font 'Noto Sans Arabic' named in"
        " styles/leaflet.css (it would use DejaVu Sans): install the fonts scripts/setup.sh"
        " installs",
        f"publish.py: error: worker {fontless} gives DejaVu Sans for 'sans-serif' named in"
        " styles/leaflet.css, this machine Noto Sans: install the same fonts on every worker"
        " (the packages scripts/setup.sh installs)",
    }
    assert not (project / "out").exists()


def test_without_the_dask_extra(tmp_path: Path) -> None:
    project = make_copy(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['distributed'] = None;"
         " from pressroom.cli.main import main; sys.exit(main(sys.argv[1:]))",
         "build", "--scheduler", "tcp://127.0.0.1:8786"],
        cwd=project, capture_output=True, text=True, check=False, env=ENV)
    assert result.returncode == 2
    assert result.stderr == "publish.py: error: --scheduler needs Dask: pip install" \
        " 'pressroom[dask]'\n"
    assert not (project / "out").exists()


def test_the_local_path_never_imports_dask(tmp_path: Path) -> None:
    """Neither the command line's imports nor a build (first, then a no-op rebuild)."""
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pressroom.cli.main"],
        capture_output=True, text=True, check=True, env=ENV).stderr
    modules = {line.split("|")[-1].strip().split(".")[0] for line in imports.splitlines()[1:]}
    assert "pressroom" in modules
    assert not modules & {"distributed", "dask", "tornado", "cloudpickle"}
    project = copy_project(tmp_path / "project", {
        "en/a.md": (ROOT / "source/en/muscle-spasms.md").read_text("utf-8")})
    check = ("import sys; from pressroom.cli.main import main; code = main(sys.argv[1:]);"
             " print(sorted(m for m in sys.modules if m.split('.')[0] in"
             " ('distributed', 'dask', 'tornado', 'cloudpickle')))")
    for run in ("first", "no-op"):
        result = subprocess.run([sys.executable, "-c", check, "build", "--format", "epub"],
                                cwd=project, capture_output=True, text=True, check=False,
                                env=ENV)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "[]", run
    assert result.stdout.splitlines()[0] == "1 file(s) up to date"


@pytest.mark.parametrize(("window", "per_call", "calls"), [
    (2, 1, [["de"], ["en"], ["es"]]),
    # Two articles' jobs to a call while they fit; the last article alone.
    (4, 2, [["de", "en"], ["es"]]),
])
def test_a_windowed_executor_gets_a_few_jobs_at_a_time(
        tmp_path: Path, window: int, per_call: int, calls: list[list[str]]) -> None:
    """A cluster's executor has a `window` (the JobExecutor protocol): the build keeps at
    most that many jobs in flight, gives it one article and edition's jobs together (one
    cluster task), or as many articles' as it asks for (`groups_per_call`: the window
    widens with it, a call carrying one copy of what they share), and still writes
    every output."""
    from collections.abc import Sequence
    from concurrent.futures import Future, ThreadPoolExecutor
    from threading import Lock

    from helpers import build

    from pressroom.build.executors import JobExecutor
    from pressroom.core.project import Project
    from pressroom.render.protocol import RenderJob, RenderResult, run_job

    class Windowed(JobExecutor):

        def __init__(self) -> None:
            self.pool = ThreadPoolExecutor(4)
            self.lock = Lock()
            self.running = self.peak = self.submitted = 0
            self.groups: list[list[tuple[str, str]]] = []

        def groups_per_call(self, groups: int) -> int:
            return per_call

        def submit_jobs(self, jobs: Sequence[RenderJob]) -> list[Future[RenderResult]]:
            self.groups.append([(job.publication.article.path.parent.name, job.format)
                                for job in jobs])
            return super().submit_jobs(jobs)

        def submit_job(self, job: RenderJob) -> Future[RenderResult]:
            with self.lock:
                self.running += 1
                self.submitted += 1
                self.peak = max(self.peak, self.running)
            future = self.pool.submit(run_job, job)
            future.add_done_callback(lambda _: self._done())
            return future

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)

        def _done(self) -> None:
            with self.lock:
                self.running -= 1

    executor = Windowed()
    executor.window = window
    assert isinstance(executor, JobExecutor)
    project = Project.at(copy_project(tmp_path / "project"))
    report = build(project, ["pdf", "epub"], ["de", "en", "es"], executor=executor)
    executor.pool.shutdown()
    assert report.ok, [str(p) for p in report.problems]
    assert sorted(p.relative_to(project.out_dir).as_posix() for p in report.written) == [
        f"{locale}/muscle-spasms.{ext}" for locale in ("de", "en", "es")
        for ext in ("epub", "pdf")]
    assert executor.submitted == 6 and 2 <= executor.peak <= window * per_call
    assert [sorted(group) for group in executor.groups] == [
        [(locale, ext) for locale in locales for ext in ("epub", "pdf")] for locales in calls]
