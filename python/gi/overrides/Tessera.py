# Tessera.py: PyGObject overrides that make Tessera's API read like Python.
#
# Loaded by `from gi.repository import Tessera`. A dashboard is a Python
# function, fragments are Python functions run on Tessera's worker threads;
# every C call that waits (run.wait, Tessera.load, Tessera.query) releases
# the interpreter lock, as PyGObject does for every introspected call, so
# fragments that wait run side by side.
#
# What this adds to the introspected API:
# - a fragment body that raises shows the exception in its slot: its type and
#   message as the slot's error, its traceback as the details (PyGObject alone
#   would print it and report "failed without saying why");
# - run.title(...), run.slider(...): every Tessera function whose first
#   argument is the run is a method of the run;
# - inputs take keyword arguments (key=, help=, step=, disabled=, placeholder=);
# - layout blocks are context managers: `with run.sidebar():`, `with
#   run.columns():`, `with run.column(2):`, `with run.tab("Data"):`;
# - run.fragment(key, func, parallel=True, run_every=0) and a decorator,
#   @Tessera.fragment(parallel=True), whose function declares the fragment
#   (keyed by its name) when called with the run;
# - Tessera.app_run(app_id, dashboard, argv=sys.argv, name=, version=), and
#   Tessera.Session.new(dashboard) for a host of its own.
import contextlib
import ctypes
import functools
import sys
import threading
import traceback

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Tessera = get_introspection_module('Tessera')

__all__ = []


_worker = threading.local()


def _keep_thread_state():
    """Keeps this thread's Python thread state for the thread's life.

    Tessera's workers are not Python threads: without this, PyGObject's
    PyGILState_Ensure() makes a thread state for every callback and its
    PyGILState_Release() deletes it again, which costs more than a trivial
    fragment. One more Ensure, never released, made with the interpreter
    lock held, keeps the state: later callbacks only take and give back the
    lock. Runs on a worker thread."""
    if not getattr(_worker, 'kept', False):
        _worker.kept = True
        ctypes.pythonapi.PyGILState_Ensure()


def _guard(func):
    """A fragment or dashboard body that reports a Python exception in its
    slot. Runs on a worker thread (the fragment's)."""

    def body(run, *_user_data):
        # PyGObject passes the (unused) user_data too.
        _keep_thread_state()
        try:
            result = func(run)
        except GLib.Error:
            raise
        except Exception as exception:
            name = type(exception).__name__
            message = '%s: %s' % (name, exception) if str(exception) else name
            details = ''.join(traceback.format_exception(type(exception), exception, exception.__traceback__))
            # The traceback as an error element where the body stopped; the
            # type and message as the run's error, which the slot shows.
            Tessera.error(run, message, details)
            raise GLib.Error(message)
        return result is None or bool(result)

    return body


def _input_options(key=None, help=None, step=0.0, disabled=False, placeholder=None):
    options = Tessera.InputOptions()
    if key is not None:
        options.key = key
    if help is not None:
        options.help = help
    options.step = step
    options.disabled = disabled
    if placeholder is not None:
        options.placeholder = placeholder
    return options


_options_by_mode = {}


def _fragment_options(parallel, run_every):
    # tess_fragment_full() reads the options during the call and keeps
    # nothing: one struct per mode serves every declaration.
    mode = (bool(parallel), float(run_every))
    options = _options_by_mode.get(mode)
    if options is None:
        options = Tessera.FragmentOptions()
        options.flags = Tessera.FragmentFlags.PARALLEL if parallel else Tessera.FragmentFlags.SEQUENTIAL
        options.run_every = run_every
        _options_by_mode[mode] = options
    return options


@contextlib.contextmanager
def _block(run, begin, *args):
    begin(run, *args)
    try:
        yield run
    finally:
        Tessera.end(run)


class Run(Tessera.Run):
    """One execution of a dashboard or fragment body; valid during the body
    only, on the thread running it."""

    def __getattr__(self, name):
        # run.title("Sales") is Tessera.title(run, "Sales").
        function = getattr(Tessera, name, None)
        if function is None or not callable(function):
            raise AttributeError("'Tessera.Run' object has no attribute %r" % name)
        return functools.partial(function, self)

    def fragment(self, key, func, *args, parallel=False, run_every=0.0):
        """Declares the fragment @key running func(run, *args): in parallel
        on a worker when parallel is true, inline otherwise."""
        body = _guard(lambda run: func(run, *args)) if args else _guard(func)
        Tessera.fragment_full(self, key, body, None, _fragment_options(parallel, run_every))

    # Layout blocks
    def sidebar(self):
        return _block(self, Tessera.sidebar_begin)

    def container(self, key=None):
        return _block(self, Tessera.container_begin, key)

    def columns(self):
        return _block(self, Tessera.columns_begin)

    def column(self, weight=1.0):
        return _block(self, Tessera.column_begin, weight)

    def tabs(self):
        return _block(self, Tessera.tabs_begin)

    def tab(self, label):
        return _block(self, Tessera.tab_begin, label)

    def expander(self, label, expanded=False):
        return _block(self, Tessera.expander_begin, label, expanded)

    # Inputs, with keyword arguments
    def declare(self, kind, label, **fields):
        """Declares an input without reading it (tess_declare()): the fields
        of Tessera.InputSpec as keywords, run.declare(Tessera.InputKind.SLIDER,
        'Months', min=1, max=36, value=12, key='months')."""
        spec = Tessera.InputSpec()
        spec.kind = kind
        spec.label = label
        for name, value in fields.items():
            setattr(spec, name, value)
        return Tessera.declare(self, spec)

    def slider(self, label, min=0.0, max=100.0, value=None, **options):
        return Tessera.slider(self, label, min, max, min if value is None else value, _input_options(**options))

    def range_slider(self, label, min=0.0, max=100.0, low=None, high=None, **options):
        return Tessera.range_slider(self, label, min, max, min if low is None else low, max if high is None else high,
                                    _input_options(**options))

    def selectbox(self, label, choices, index=0, **options):
        return Tessera.selectbox(self, label, list(choices), index, _input_options(**options))

    def radio(self, label, choices, index=0, **options):
        return Tessera.radio(self, label, list(choices), index, _input_options(**options))

    def multiselect(self, label, choices, selected=None, **options):
        return Tessera.multiselect(self, label, list(choices), list(selected) if selected else None,
                                   _input_options(**options))

    def checkbox(self, label, value=False, **options):
        return Tessera.checkbox(self, label, value, _input_options(**options))

    def toggle(self, label, value=False, **options):
        return Tessera.toggle(self, label, value, _input_options(**options))

    def text_input(self, label, value=None, **options):
        return Tessera.text_input(self, label, value, _input_options(**options))

    def number_input(self, label, value=0.0, min=float('-inf'), max=float('inf'), **options):
        return Tessera.number_input(self, label, value, min, max, _input_options(**options))

    def date_input(self, label, value=None, **options):
        return Tessera.date_input(self, label, value, _input_options(**options))

    def button(self, label, **options):
        return Tessera.button(self, label, _input_options(**options))


Run = override(Run)
__all__.append('Run')


class Session(Tessera.Session):
    """One open dashboard, as its host (a window, a test) drives it from
    the main context."""

    @classmethod
    def new(cls, dashboard):
        """A session of dashboard(run), whose exceptions show in its slots."""
        return Tessera.Session.new(_guard(dashboard))


Session = override(Session)
__all__.append('Session')


def fragment(*args, parallel=False, run_every=0.0, key=None):
    """As a decorator, @Tessera.fragment(parallel=True): the function becomes
    one that, called with the run, declares itself as the fragment named
    after it (or key). Called with a run, fragment(run, key, func, flags),
    it is tess_fragment()."""
    if args and isinstance(args[0], Tessera.Run):
        run, fragment_key, func = args[0], args[1], args[2]
        flags = args[3] if len(args) > 3 else Tessera.FragmentFlags.SEQUENTIAL
        return Run.fragment(run, fragment_key, func, parallel=bool(flags & Tessera.FragmentFlags.PARALLEL))

    def decorate(func):
        @functools.wraps(func)
        def declare(run, *func_args, key=key):
            # Declared more than once (with other arguments), each needs a key.
            Run.fragment(run, key or func.__name__, func, *func_args, parallel=parallel, run_every=run_every)

        return declare

    if args and callable(args[0]):
        return decorate(args[0])
    return decorate


__all__.append('fragment')


def app_run(app_id, dashboard, argv=None, name=None, version=None):
    """Runs dashboard(run) as the application app_id, in a window or, with
    --headless or without a display, once; returns the exit status."""
    return Tessera.app_run_full(app_id, name, version, _guard(dashboard), None, list(sys.argv if argv is None else argv))


__all__.append('app_run')
