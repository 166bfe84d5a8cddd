"""Check a built wheel as a user gets it: installed in a fresh environment, far from the checkout.

``make wheel-test`` installs ``build/dist/devvolume-*.whl`` into a new virtual environment in a
temporary folder and runs this script with that environment's Python, isolated (``-I``: neither
the checkout nor this folder is on ``sys.path``), from another temporary folder::

    VENV/bin/python -I tools/check_wheel.py WHEEL --checkout . --work WORKDIR

It checks that the wheel carries the course kit, that ``devvolume`` is imported from the
environment and finds its data there (``$DEVVOLUME_DATASETS`` overriding it), that
``devvolume report directsales --by team --only TEAM`` writes a report, that ``devvolume import``
turns the kit's example Salesforce export into a work log, that ``devvolume lessons
DIR`` writes 13 notebooks and a second run keeps them, and that lesson 01 runs from that
workspace with papermill in the environment's own kernel. Only the standard library and the
installed package are used. Exit status 0 when all is well; the first failure stops it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

#: What the wheel's kit must hold (devvolume/kit/...), and what it must not.
CASES = ("directsales", "fmcg", "software")
CASE_FILES = ("README.md", "orders.csv", "reps.csv", "targets.csv", "worklog.csv")
LESSONS = 7
EXERCISES = 6
REPORT_NOTEBOOKS = ("meeting_pack.ipynb", "rep_report.ipynb", "team_report.ipynb")
#: The example CRM exports (examples/crm/), one folder per format.
CRM_EXAMPLES = ("README.md", "pipeline/sales_pipeline.csv", "pipeline/sales_teams.csv",
                "salesforce/opportunities.csv", "salesforce/roster.csv", "hubspot/deals.csv",
                "hubspot/roster.csv", "odoo/crm_lead.csv")  # fmt: skip
#: Variables of the caller's environment that would change what the installed package does.
CLEARED = ("DEVVOLUME_DATASETS", "DEVVOLUME_LEARNER", "DEVVOLUME_WORKSPACE", "PYTHONPATH",
           "PYTHONHOME", "VIRTUAL_ENV")  # fmt: skip


def step(text: str) -> float:
    print(f"--- {text}", flush=True)
    return time.monotonic()


def done(started: float) -> None:
    print(f"    ok ({time.monotonic() - started:.1f} s)", flush=True)


def fail(text: str) -> None:
    print(f"FAILED: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(command: list[str], *, cwd: Path, env: dict[str, str]) -> str:
    """Run a command; fail with its output unless it exits 0. Returns its standard output."""
    finished = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=900)  # fmt: skip
    if finished.returncode != 0:
        fail(f"{' '.join(command)} exited {finished.returncode}\n{finished.stdout}\n"
             f"{finished.stderr}")
    return finished.stdout


def kit_problems(wheel: Path) -> list[str]:
    """What is wrong with the wheel's course kit (``devvolume/kit/``); empty when all is well."""
    names = set(zipfile.ZipFile(wheel).namelist())
    kit = {name.removeprefix("devvolume/kit/") for name in names
           if name.startswith("devvolume/kit/")}  # fmt: skip
    expected = {f"datasets/{case}/{name}" for case in CASES for name in CASE_FILES}
    expected |= {f"notebooks/reports/{name}" for name in REPORT_NOTEBOOKS}
    expected |= {f"examples/crm/{name}" for name in CRM_EXAMPLES}
    lessons = {name for name in kit if re.fullmatch(r"notebooks/\d\d_\w+\.ipynb", name)}
    exercises = {name for name in kit if re.fullmatch(r"exercises/\d\d_\w+\.ipynb", name)}
    problems = []
    if not expected <= kit:
        problems.append(f"the kit lacks {sorted(expected - kit)}")
    if (len(lessons), len(exercises)) != (LESSONS, EXERCISES):
        problems.append(f"the kit has {len(lessons)} lessons and {len(exercises)} exercises, "
                        f"not {LESSONS} and {EXERCISES}")
    extra = kit - expected - lessons - exercises
    if extra:
        problems.append(f"the kit holds files it should not (solutions, sources?): {sorted(extra)}")
    if "devvolume/viz/templates/offline/index.html.j2" not in names:
        problems.append("the wheel lacks the HTML export template")
    return problems


def check_import(checkout: Path, work: Path) -> str:
    """Import the installed package with ``$DEVVOLUME_DATASETS`` set; return a team's name."""
    spec = importlib.util.find_spec("devvolume")
    if spec is None or not spec.submodule_search_locations:
        fail("devvolume is not installed in this environment")
    package = Path(next(iter(spec.submodule_search_locations))).resolve()
    if package.is_relative_to(checkout) or not package.is_relative_to(Path(sys.prefix).resolve()):
        fail(f"devvolume is imported from {package}, not from this environment ({sys.prefix})")
    # a folder of datasets of one's own, holding one case
    own = work / "own-datasets"
    shutil.copytree(package / "kit" / "datasets" / "directsales", own / "directsales")
    os.environ["DEVVOLUME_DATASETS"] = str(own)
    import devvolume as dv
    from devvolume import _kit

    if _kit.kit_root() != package / "kit":
        fail(f"the kit is looked for in {_kit.kit_root()}, not in {package / 'kit'}")
    data = dv.load_dataset("directsales")
    if data.worklog.empty or "directsales" not in data.card:
        fail("load_dataset('directsales') gave an empty work log or no data card")
    try:
        dv.load_dataset("fmcg")
    except FileNotFoundError as exc:
        if str(own / "fmcg") not in str(exc):
            fail(f"the missing-dataset error does not name {own / 'fmcg'}: {exc}")
    else:
        fail("$DEVVOLUME_DATASETS did not replace the shipped datasets")
    del os.environ["DEVVOLUME_DATASETS"]
    print(f"    devvolume {dv.__version__} from {package}")
    return str(sorted(data.worklog["team"].unique())[0])


def notebooks(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*.ipynb"))}  # fmt: skip


def check_lessons(devvolume: str, work: Path, env: dict[str, str]) -> Path:
    workspace = work / "我的课程"
    first = run([devvolume, "lessons", str(workspace)], cwd=work, env=env)
    written = notebooks(workspace)
    if len(written) != LESSONS + EXERCISES or "copied 13 notebooks" not in first:
        fail(f"devvolume lessons wrote {sorted(written)}:\n{first}")
    if any("solutions" in name for name in written):
        fail(f"the workspace holds solutions: {sorted(written)}")
    lesson = workspace / "notebooks" / "01_what_counts.ipynb"
    lesson.write_bytes(lesson.read_bytes() + b"\n")  # a learner's change
    written = notebooks(workspace)
    second = run([devvolume, "lessons", str(workspace)], cwd=work, env=env)
    if "kept 13" not in second or "copied" in second or notebooks(workspace) != written:
        fail(f"a second devvolume lessons changed the workspace:\n{second}")
    return workspace


def check_kernel(workspace: Path, work: Path, env: dict[str, str], bin_dir: Path) -> None:
    """Papermill in this environment runs lesson 01 from the workspace, in this environment."""
    import nbformat

    probe = work / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, devvolume\nprint(sys.prefix)\nprint(devvolume.__file__)")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}}), probe)
    papermill = str(bin_dir / "papermill")
    run([papermill, str(probe), str(probe), "-k", "python3", "--no-progress-bar"],
        cwd=work, env=env)
    (cell,) = nbformat.read(probe, as_version=4).cells
    prefix, package = "".join(output.get("text", "") for output in cell.outputs).split()
    if Path(prefix).resolve() != Path(sys.prefix).resolve():
        fail(f"the kernel ran in {prefix}, not in this environment ({sys.prefix})")
    if not Path(package).resolve().is_relative_to(Path(sys.prefix).resolve()):
        fail(f"the kernel imported devvolume from {package}")
    lesson = workspace / "notebooks" / "01_what_counts.ipynb"
    executed = work / "01_executed.ipynb"
    run([papermill, str(lesson), str(executed), "-k", "python3", "--cwd", str(lesson.parent),
         "--no-progress-bar"], cwd=work, env=env)  # fmt: skip
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    errors = [output for cell in cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]  # fmt: skip
    if errors:
        fail(f"lesson 01 raised {errors[0].get('ename')}: {errors[0].get('evalue')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--checkout", type=Path, required=True, help="the source checkout")
    parser.add_argument("--work", type=Path, required=True, help="an empty folder to work in")
    args = parser.parse_args()
    checkout, work = args.checkout.resolve(), args.work.resolve()
    if work.is_relative_to(checkout) or Path.cwd().resolve().is_relative_to(checkout):
        fail(f"run this outside the checkout {checkout}")
    bin_dir = Path(sys.executable).parent
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    devvolume = str(bin_dir / "devvolume")

    started = step(f"the wheel holds the course kit: {args.wheel.name}")
    problems = kit_problems(args.wheel)
    if problems:
        fail("; ".join(problems))
    print(f"    {args.wheel.stat().st_size / 1e6:.1f} MB")
    done(started)
    started = step("devvolume is imported from the fresh environment and loads a case")
    team = check_import(checkout, work)
    version = run([devvolume, "--version"], cwd=work, env=env).strip()
    if version != f"devvolume {args.wheel.name.split('-')[1]}":
        fail(f"devvolume --version says {version!r} for {args.wheel.name}")
    print(f"    {version}")
    done(started)
    started = step(f"devvolume report directsales --by team --only {team}")
    out = work / "reports"
    run([devvolume, "report", "directsales", "--by", "team", "--only", team, "--out", str(out),
         "--no-progress"], cwd=work, env=env)  # fmt: skip
    pages = sorted(path.name for path in out.glob("*.html"))
    if "index.html" not in pages or len(pages) != 2 or not (out / "summary.csv").is_file():
        fail(f"the report folder holds {pages}")
    done(started)
    started = step("devvolume import: the kit's example Salesforce export, with its roster")
    from devvolume import _kit

    examples = _kit.kit_path("examples", "crm", "salesforce")
    imported = work / "工作日志.csv"
    said = run([devvolume, "import", str(examples / "opportunities.csv"), "--roster",
                str(examples / "roster.csv"), "--out", str(imported)], cwd=work, env=env)  # fmt: skip
    if "salesforce" not in said or not imported.is_file():
        fail(f"devvolume import did not write {imported}:\n{said}")
    run([devvolume, "validate", str(imported)], cwd=work, env=env)
    done(started)
    started = step("devvolume lessons DIR, twice")
    workspace = check_lessons(devvolume, work, env)
    done(started)
    started = step("lesson 01 runs from the workspace with papermill, in this environment")
    check_kernel(workspace, work, env, bin_dir)
    done(started)
    print("the installed wheel works")


if __name__ == "__main__":
    main()
