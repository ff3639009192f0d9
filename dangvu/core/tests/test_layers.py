"""The floors of dangvu, checked on the source (a small AST reading, no dependency).

(a) `core` is the ground floor: it imports no app of dangvu — only `dangvu.core`,
    `dangvu.lib` and the project's `dangvu.settings`.
(b) `units` and `members` are the floors every module stands on: they import only
    `core`, `lib`, `accounts`, `units` and `members`. Their plug-in modules
    (`indicators.py`, `exchange.py`) import the framework they plug into as well.
(b') `home` gathers from the modules without importing them (they plug into `home.todo`):
    it stands on the same floors as `units` and `members`, and imports no other app.
(c) One way in for every write: no module outside an app's services (`services.py`,
    `services_*.py`, a `services/` package) writes that app's tables — `Model.objects`
    create / update / delete / bulk writes, `insert_rows(Model, ...)`,
    `update_rows(Model, ...)`, `instance.save()` / `.delete()` where the instance's model is
    known from the module's imports (assigned from the model, or annotated with it).

Tests and migrations are outside the floors.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the dangvu package
APPS = frozenset(p.parent.name for p in ROOT.glob("*/apps.py"))

CORE_MAY_IMPORT = frozenset({"core", "lib", "settings"})
GROUND_FLOORS = frozenset({"units", "members"})
GROUND_MAY_IMPORT = frozenset({"core", "lib", "accounts", "units", "members"})
PLUG_INS = {"indicators.py": "indicators", "exchange.py": "exchange"}
HOME_MAY_IMPORT = GROUND_MAY_IMPORT | {"home"}

MANAGER_WRITES = frozenset(
    {
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "update",
        "delete",
    }
)
INSTANCE_WRITES = frozenset({"save", "delete"})
ROW_WRITERS = frozenset({"insert_rows", "update_rows"})

#: Today's writes from outside the owner's services, file → why it is still there. Other
#: helpers of issue 14 are moving the exchange loaders' and demo steps' writes into the
#: bulk services; the lead removes an entry as each lands (a stale entry fails the test).
ALLOWED: dict[str, str] = {}

#: Writes that are not a domain's records, and stay where they are.
EXCEPTIONS: dict[str, str] = {
    "dangvu/accounts/sessions.py": "the session backend (a Django SessionStore) records a session's last use",
    "dangvu/demo/generator.py": "the demo's own record of the data set it built (DemoState)",
    "dangvu/indicators/catalogue.py": "reference data: the catalogue's sync (core/reference.py), as rules.py",
}


# -- reading the source ----------------------------------------------------------------------
def modules() -> Iterator[tuple[str, Path]]:
    """Every module of dangvu that is not a test or a migration, as (relative path, path)."""
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).as_posix()
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        yield rel, path


def floor_of(rel: str) -> str:
    """`dangvu/reviews/services.py` → "reviews"; `dangvu/settings.py` → "settings"."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else parts[1].removesuffix(".py")


def imported_floors(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, floor) of every import of `dangvu.<floor>` (TYPE_CHECKING ones included)."""
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "dangvu":
                names = [f"dangvu.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "dangvu" and len(parts) > 1:
                yield node.lineno, parts[1]


def model_classes() -> dict[str, set[str]]:
    """App → the names of the classes its `models.py` defines."""
    found: dict[str, set[str]] = {}
    for app in APPS:
        path = ROOT / app / "models.py"
        if path.exists():
            tree = ast.parse(path.read_text())
            found[app] = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return found


@dataclass
class Write:
    line: int
    app: str
    what: str


@dataclass
class WriteFinder(ast.NodeVisitor):
    """The writes of one module to tables of dangvu's apps, as far as names resolve."""

    models: dict[str, set[str]]
    own_app: str | None = None
    names: dict[str, str] = field(default_factory=dict)  # local name → app of the model
    modules: dict[str, str] = field(default_factory=dict)  # local name → app (its models)
    local: list[dict[str, str]] = field(default_factory=lambda: [{}])  # variable → app
    writes: list[Write] = field(default_factory=list)

    def visit_Module(self, node: ast.Module) -> None:
        if self.own_app is not None:  # models.py: its own classes by their bare names
            self.names.update(dict.fromkeys(self.models.get(self.own_app, ()), self.own_app))
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        parts = (node.module or "").split(".")
        if node.level or parts[0] != "dangvu" or len(parts) < 2 or parts[1] not in APPS:
            return
        app = parts[1]
        for alias in node.names:
            local = alias.asname or alias.name
            if parts[2:] == ["models"] and alias.name in self.models.get(app, ()):
                self.names[local] = app
            elif len(parts) == 2 and alias.name == "models":
                self.modules[local] = app

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            if alias.asname and parts[0] == "dangvu" and parts[2:] == ["models"]:
                self.modules[alias.asname] = parts[1]

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope: dict[str, str] = {}
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            app = self.model_app(arg.annotation)
            if app is not None:
                scope[arg.arg] = app
        self.local.append(scope)
        self.generic_visit(node)
        self.local.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        app = self.chain_app(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if app is None:
                    self.local[-1].pop(target.id, None)
                else:
                    self.local[-1][target.id] = app
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name):
            app = self.model_app(node.annotation) or (
                self.chain_app(node.value) if node.value else None
            )
            if app is not None:
                self.local[-1][node.target.id] = app
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        app = self.chain_app(node.iter)
        if isinstance(node.target, ast.Name) and app is not None:
            self.local[-1][node.target.id] = app
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ROW_WRITERS and node.args:
            app = self.model_app(node.args[0])
            if app is not None:
                self.writes.append(Write(node.lineno, app, func.id))
        elif isinstance(func, ast.Attribute) and func.attr in MANAGER_WRITES | INSTANCE_WRITES:
            app = self.chain_app(func.value)
            if app is not None:
                self.writes.append(Write(node.lineno, app, func.attr))
        self.generic_visit(node)

    # -- resolving names to apps -----------------------------------------------------------
    def model_app(self, node: ast.expr | None) -> str | None:
        """The app of the model class `node` names (`Review`, `models.Review`, "Review")."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.names.get(node.value)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            app = self.modules.get(node.value.id)
            if app is not None and node.attr in self.models.get(app, ()):
                return app
        return None

    def chain_app(self, node: ast.expr) -> str | None:
        """The app whose rows `node` holds: `Model.objects…`, `Model(...)`, a variable
        assigned from one of them or annotated with the model."""
        through_manager = called = False
        while True:
            if isinstance(node, ast.Call):
                node, called = node.func, True
                continue
            if isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node, ast.Attribute):
                app = self.model_app(node)
                if app is not None:
                    return app if through_manager or called else None
                through_manager |= node.attr in {"objects", "_default_manager"}
                node = node.value
            elif isinstance(node, ast.Name):
                app = self.model_app(node)
                if app is not None:
                    return app if through_manager or called else None
                for scope in reversed(self.local):
                    if node.id in scope:
                        return scope[node.id]
                return None
            else:
                return None
            called = False


def writes_of(source: str, own_app: str | None = None) -> list[Write]:
    finder = WriteFinder(model_classes(), own_app)
    finder.visit(ast.parse(source))
    return finder.writes


def may_write(rel: str, app: str) -> bool:
    """Only the app's services write its tables."""
    parts = rel.split("/")
    if parts[1] != app or len(parts) < 3:
        return False
    name = parts[2]
    return name in {"services.py", "services"} or name.startswith("services_")


def violations() -> dict[str, list[Write]]:
    found: dict[str, list[Write]] = {}
    models = model_classes()
    for rel, path in modules():
        own = floor_of(rel) if rel.endswith("/models.py") else None
        finder = WriteFinder(models, own)
        finder.visit(ast.parse(path.read_text()))
        bad = [w for w in finder.writes if not may_write(rel, w.app)]
        if bad:
            found[rel] = bad
    return found


# -- the floors ------------------------------------------------------------------------------
def test_it_keeps_core_free_of_apps() -> None:
    bad = [
        f"{rel}:{line} imports dangvu.{floor}"
        for rel, path in modules()
        if floor_of(rel) == "core"
        for line, floor in imported_floors(ast.parse(path.read_text()))
        if floor not in CORE_MAY_IMPORT
    ]
    assert bad == []


def test_it_keeps_units_and_members_below_the_modules() -> None:
    bad = []
    for rel, path in modules():
        if floor_of(rel) not in GROUND_FLOORS:
            continue
        allowed = GROUND_MAY_IMPORT | {PLUG_INS.get(Path(rel).name, "core")}
        bad += [
            f"{rel}:{line} imports dangvu.{floor}"
            for line, floor in imported_floors(ast.parse(path.read_text()))
            if floor not in allowed
        ]
    assert bad == []


def test_it_keeps_the_home_free_of_the_modules_it_gathers_from() -> None:
    checked = [(rel, path) for rel, path in modules() if floor_of(rel) == "home"]
    assert "dangvu/home/selectors.py" in [rel for rel, _ in checked]
    bad = [
        f"{rel}:{line} imports dangvu.{floor}"
        for rel, path in checked
        for line, floor in imported_floors(ast.parse(path.read_text()))
        if floor not in HOME_MAY_IMPORT
    ]
    assert bad == []


def test_it_writes_an_apps_tables_only_through_its_services() -> None:
    found = violations()
    unexpected = {
        rel: [f"line {w.line}: {w.what} on {w.app}" for w in writes]
        for rel, writes in found.items()
        if rel not in ALLOWED and rel not in EXCEPTIONS
    }
    assert unexpected == {}
    assert sorted((set(ALLOWED) | set(EXCEPTIONS)) - set(found)) == [], "fixed: remove these"


# -- the checker itself ------------------------------------------------------------------------
LOADER = """
from dangvu.core.bulk import insert_rows, update_rows
from dangvu.reviews import models as rm
from dangvu.reviews.models import MemberReview, Commitment
from dangvu.members.models import Member as M

def load(review: MemberReview, rows, other: int) -> None:
    insert_rows(MemberReview, ["year"], rows)
    update_rows(rm.Commitment, ["status"], rows)
    M.objects.filter(pk=1).update(is_exempt=True)
    Commitment.objects.bulk_create([])
    rm.MemberReview.objects.get_or_create(year=2020)
    review.save()
    c = Commitment.objects.get(pk=1)
    c.delete()
    Commitment(year=2020).save()
    for r in MemberReview.objects.filter(year=2020):
        r.save(update_fields=["points"])
"""

READER = """
from dangvu.reviews.models import MemberReview
from dangvu.reviews import services

def read(data: dict, form) -> None:
    MemberReview.objects.filter(year=2020).count()
    data.update(a=1)
    form.save()
    services.review_record(year=2020)
    review = services.review_record(year=2020)
    review.save()
"""


def test_it_catches_every_kind_of_write() -> None:
    found = [(w.line, w.app, w.what) for w in writes_of(LOADER)]
    assert found == [
        (8, "reviews", "insert_rows"),
        (9, "reviews", "update_rows"),
        (10, "members", "update"),
        (11, "reviews", "bulk_create"),
        (12, "reviews", "get_or_create"),
        (13, "reviews", "save"),
        (15, "reviews", "delete"),
        (16, "reviews", "save"),
        (18, "reviews", "save"),
    ]


def test_it_lets_reads_and_unknown_objects_be() -> None:
    assert writes_of(READER) == []


def test_it_tells_a_write_from_outside_the_services() -> None:
    assert may_write("dangvu/reviews/services.py", "reviews")
    assert may_write("dangvu/accounts/services_signin.py", "accounts")
    assert may_write("dangvu/exchange/services/load.py", "exchange")
    assert not may_write("dangvu/reviews/exchange.py", "reviews")
    assert not may_write("dangvu/units/services.py", "members")


def test_it_reads_every_form_of_import() -> None:
    source = """
import dangvu.reviews.selectors
from dangvu import units
from dangvu.lib.dates import parse_date
if TYPE_CHECKING:
    from dangvu.accounts.models import User
def f():
    from dangvu.assessments import selectors
"""
    found = [floor for _, floor in imported_floors(ast.parse(source))]
    assert sorted(found) == ["accounts", "assessments", "lib", "reviews", "units"]
